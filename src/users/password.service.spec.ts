import bcrypt from 'bcrypt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../config/app.config.js';
import { BcryptPool } from './bcrypt-pool.js';
import { PasswordService } from './password.service.js';

const COST = 4;

describe('PasswordService', () => {
  let passwords: PasswordService;

  beforeAll(async () => {
    passwords = new PasswordService({ bcryptCost: COST } as AppConfig);
    await passwords.onModuleInit();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(() => passwords.onApplicationShutdown());

  it('hashes with bcrypt at BCRYPT_COST, salted', async () => {
    const a = await passwords.hash('a good password');
    const b = await passwords.hash('a good password');
    expect(a).toMatch(/^\$2[aby]\$04\$/);
    expect(bcrypt.getRounds(a)).toBe(COST);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await passwords.hash('a good password');
    expect(await passwords.verify('a good password', hash)).toBe(true);
    expect(await passwords.verify('a good passworD', hash)).toBe(false);
    expect(await passwords.verify('', hash)).toBe(false);
  });

  it('verifies multibyte passwords byte for byte', async () => {
    const hash = await passwords.hash('p\u00e4ssw\u00f6rd\u{1F511}');
    expect(await passwords.verify('p\u00e4ssw\u00f6rd\u{1F511}', hash)).toBe(true);
    // The same letters, decomposed (a + combining diaeresis): different bytes.
    expect(await passwords.verify('pa\u0308ssw\u00f6rd\u{1F511}', hash)).toBe(false);
  });

  describe('an unknown user (no hash)', () => {
    it.each([null, undefined])('gets false for hash %s', async (hash) => {
      expect(await passwords.verify('a good password', hash)).toBe(false);
    });

    it('still pays one bcrypt compare, against a hash of the same cost', async () => {
      const compare = vi.spyOn(BcryptPool.prototype, 'compare');
      expect(await passwords.verify('a good password', null)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
      const [presented, against] = compare.mock.calls[0];
      expect(presented).toBe('a good password');
      expect(bcrypt.getRounds(against)).toBe(COST);
    });

    it('costs as many compares as a known user with a wrong password', async () => {
      const hash = await passwords.hash('the real password');
      const compare = vi.spyOn(BcryptPool.prototype, 'compare');
      await passwords.verify('a guess', hash);
      await passwords.verify('a guess', null);
      expect(compare).toHaveBeenCalledTimes(2);
    });

    it('cannot be logged into with the password behind the dummy hash', async () => {
      // Whatever the dummy was made from, no password verifies against "no user".
      const compare = vi.spyOn(BcryptPool.prototype, 'compare').mockImplementation(async () => true);
      expect(await passwords.verify('anything at all', null)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
    });
  });

  describe('passwords longer than bcrypt reads (72 bytes)', () => {
    it('never verify, even when their first 72 bytes are the stored password', async () => {
      const stored = 'a'.repeat(72);
      const hash = await passwords.hash(stored);
      expect(await passwords.verify(stored, hash)).toBe(true);
      // bcrypt itself would say yes: it ignores everything after byte 72.
      expect(await bcrypt.compare(`${stored}tail`, hash)).toBe(true);
      expect(await passwords.verify(`${stored}tail`, hash)).toBe(false);
    });

    it('counts UTF-8 bytes: 36 two-byte characters verify, 37 do not', async () => {
      const stored = '\u00e9'.repeat(36); // 72 bytes
      const hash = await passwords.hash(stored);
      expect(await passwords.verify(stored, hash)).toBe(true);
      expect(await bcrypt.compare(`${stored}\u00e9`, hash)).toBe(true);
      expect(await passwords.verify(`${stored}\u00e9`, hash)).toBe(false);
    });

    it('still pay the bcrypt compare, so length does not show in the timing', async () => {
      const hash = await passwords.hash('a good password');
      const compare = vi.spyOn(BcryptPool.prototype, 'compare');
      expect(await passwords.verify('x'.repeat(200), hash)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
    });
  });
});
