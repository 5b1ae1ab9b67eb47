import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { IsAcceptablePassword, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARACTERS, passwordProblem, USERNAME_PATTERN } from './credentials.policy.js';

describe('passwordProblem', () => {
  it('the limits are the documented ones', () => {
    expect(PASSWORD_MIN_CHARACTERS).toBe(8);
    expect(PASSWORD_MAX_BYTES).toBe(72);
  });

  it('accepts 8 characters', () => {
    expect(passwordProblem('12345678')).toBeNull();
  });

  it('refuses 7 characters', () => {
    expect(passwordProblem('1234567')).toMatch(/at least 8 characters/);
  });

  it('refuses the empty string', () => {
    expect(passwordProblem('')).toMatch(/at least 8 characters/);
  });

  it('counts characters, not bytes or UTF-16 units, for the minimum', () => {
    // 7 emoji are 14 UTF-16 units and 28 bytes, but only 7 characters.
    expect(passwordProblem('\u{1F511}'.repeat(7))).toMatch(/at least 8 characters/);
    expect(passwordProblem('\u{1F511}'.repeat(8))).toBeNull();
    // 7 two-byte characters
    expect(passwordProblem('\u00e9'.repeat(7))).toMatch(/at least 8 characters/);
  });

  it('accepts exactly 72 bytes of ASCII and refuses 73', () => {
    expect(passwordProblem('a'.repeat(72))).toBeNull();
    expect(passwordProblem('a'.repeat(73))).toMatch(/at most 72 bytes/);
  });

  it('measures the maximum in UTF-8 bytes, where multibyte characters count more than once', () => {
    // é is 2 bytes: 36 of them are 72 bytes, 37 are 74 bytes (only 37 characters).
    expect(passwordProblem('\u00e9'.repeat(36))).toBeNull();
    expect(passwordProblem('\u00e9'.repeat(37))).toMatch(/at most 72 bytes/);
    // € is 3 bytes: 24 are 72 bytes, 25 are 75.
    expect(passwordProblem('\u20ac'.repeat(24))).toBeNull();
    expect(passwordProblem('\u20ac'.repeat(25))).toMatch(/at most 72 bytes/);
    // An emoji is 4 bytes: 18 are 72 bytes, 19 are 76 (while only 19 characters).
    expect(passwordProblem('\u{1F511}'.repeat(18))).toBeNull();
    expect(passwordProblem('\u{1F511}'.repeat(19))).toMatch(/at most 72 bytes/);
    // 71 ASCII bytes plus one 2-byte character: 73 bytes, 72 characters.
    expect(passwordProblem(`${'a'.repeat(71)}\u00e9`)).toMatch(/at most 72 bytes/);
  });

  it('explains why: bcrypt would ignore the rest', () => {
    expect(passwordProblem('a'.repeat(100))).toMatch(/bcrypt/);
  });

  it('refuses a NUL character anywhere', () => {
    expect(passwordProblem('abcdefgh\0')).toMatch(/NUL/);
    expect(passwordProblem('\0abcdefgh')).toMatch(/NUL/);
    expect(passwordProblem('abcd\0efgh')).toMatch(/NUL/);
  });

  it.each([undefined, null, 12345678, ['12345678'], { toString: () => '12345678' }])('refuses a non-string (%s)', (value) => {
    expect(passwordProblem(value)).toMatch(/string/);
  });

  it('accepts spaces and punctuation: passphrases are welcome', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('  !@#$%^&*()  ')).toBeNull();
  });
});

describe('@IsAcceptablePassword', () => {
  class Form {
    @IsAcceptablePassword()
    password!: unknown;
  }
  const problems = (password: unknown) => {
    const form = Object.assign(new Form(), { password });
    return validateSync(form).flatMap((error) => Object.values(error.constraints ?? {}));
  };

  it('passes a good password', () => {
    expect(problems('a good password')).toEqual([]);
  });

  it('reports the policy message for a bad one', () => {
    expect(problems('short')).toEqual(['password must be at least 8 characters']);
    expect(problems('\u00e9'.repeat(37))).toEqual([expect.stringMatching(/at most 72 bytes/)]);
    expect(problems('abcdefgh\0')).toEqual([expect.stringMatching(/NUL/)]);
  });
});

describe('USERNAME_PATTERN', () => {
  it.each(['bob', 'alice.smith', 'a_b-c', 'ops@example.com', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(USERNAME_PATTERN.test(name)).toBe(true);
  });

  it.each(['ab', 'x'.repeat(65), 'has space', 'semi;colon', 'bob\n', 'b\u00f6b', ''])('refuses %j', (name) => {
    expect(USERNAME_PATTERN.test(name)).toBe(false);
  });
});
