import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { digestSecret, generateClientId, generateClientSecret, secretMatches } from './client-secret.js';

// Spy on the comparison itself, to see that every path pays for one.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const BASE64URL = /^[A-Za-z0-9_-]+$/;

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('generateClientSecret', () => {
  it('is 256 random bits in unpadded base64url (43 characters)', () => {
    const secret = generateClientSecret();
    expect(secret).toHaveLength(43);
    expect(secret).toMatch(BASE64URL);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('satisfies the 32-character minimum that BOOTSTRAP_CLIENT_SECRET must meet', () => {
    expect(generateClientSecret().length).toBeGreaterThanOrEqual(32);
  });

  it('never repeats and looks random', () => {
    const secrets = Array.from({ length: 500 }, generateClientSecret);
    expect(new Set(secrets).size).toBe(secrets.length);
    // Across 500 × 32 random bytes every byte value shows up; a constant or
    // low-entropy generator would leave most of them unused.
    const seen = new Set(secrets.flatMap((s) => [...Buffer.from(s, 'base64url')]));
    expect(seen.size).toBe(256);
  });
});

describe('digestSecret', () => {
  it('is the SHA-256 of the UTF-8 secret, in lower-case hex', () => {
    expect(digestSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestSecret('\u00e9')).toBe(
      createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
  });

  it('fits the 64-character secret_digest column and never contains the secret', () => {
    const secret = generateClientSecret();
    const digest = digestSecret(secret);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(secret);
  });

  it('differs for secrets that differ in one character', () => {
    expect(digestSecret('a'.repeat(43))).not.toBe(digestSecret(`${'a'.repeat(42)}b`));
  });
});

describe('secretMatches', () => {
  const secret = generateClientSecret();
  const digest = digestSecret(secret);

  it('accepts the secret the digest was made from', () => {
    expect(secretMatches(secret, digest)).toBe(true);
  });

  it.each([
    ['a different secret', generateClientSecret()],
    ['the secret with one character changed', `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`],
    ['a prefix of the secret', secret.slice(0, 32)],
    ['the secret with a suffix', `${secret}x`],
    ['the empty string', ''],
    ['the digest itself', digest],
  ])('refuses %s', (_name, presented) => {
    expect(secretMatches(presented, digest)).toBe(false);
  });

  it('a client with no secret (null digest) matches nothing, not even the empty string', () => {
    expect(secretMatches('', null)).toBe(false);
    expect(secretMatches(secret, null)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['too short', digest.slice(0, 62)],
    ['not hex', 'z'.repeat(64)],
  ])('a malformed stored digest (%s) refuses without throwing', (_name, stored) => {
    expect(() => secretMatches(secret, stored)).not.toThrow();
    expect(secretMatches(secret, stored)).toBe(false);
  });

  it('compares in constant time on every path, including a missing or malformed digest', () => {
    const calls = () => vi.mocked(crypto.timingSafeEqual).mock.calls;
    for (const stored of [digest, digestSecret('other'), null, '', 'zz']) {
      vi.mocked(crypto.timingSafeEqual).mockClear();
      secretMatches(secret, stored);
      expect(calls(), `digest ${String(stored)}`).toHaveLength(1);
      // Always two 32-byte buffers: the same work whatever was stored.
      const [a, b] = calls()[0];
      expect(a).toHaveLength(32);
      expect(b).toHaveLength(32);
    }
  });
});

describe('generateClientId', () => {
  it('is gh_ and 128 random bits, never shaped like a uuid', () => {
    const id = generateClientId();
    expect(id).toMatch(/^gh_[A-Za-z0-9_-]{22}$/);
    expect(id).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect(new Set(Array.from({ length: 200 }, generateClientId)).size).toBe(200);
  });
});
