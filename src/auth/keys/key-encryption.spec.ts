import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, KeyEncryption, keyFromSecret } from './key-encryption.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

describe('KeyEncryption', () => {
  it('always seals, and opens what it sealed', () => {
    const encryption = new KeyEncryption(randomBytes(32));
    const sealed = encryption.seal(PEM);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(encryption.open(sealed)).toEqual({ pem: PEM, sealedUnderCurrent: true });
  });

  it('opens a PEM left in clear, marked for sealing', () => {
    expect(new KeyEncryption(randomBytes(32)).open(PEM)).toEqual({ pem: PEM, sealedUnderCurrent: false });
  });

  it('opens with the previous key what was sealed under it, marked for sealing again', () => {
    const old = keyFromSecret('the-old-secret-of-at-least-32-characters');
    const sealed = new KeyEncryption(old).seal(PEM);
    expect(new KeyEncryption(keyFromSecret('the-new-secret-of-at-least-32-characters'), old).open(sealed)).toEqual({ pem: PEM, sealedUnderCurrent: false });
  });

  it('refuses a wrong key with a message naming the variables, and a tampered value', () => {
    const sealed = new KeyEncryption(randomBytes(32)).seal(PEM);
    expect(() => new KeyEncryption(randomBytes(32)).open(sealed)).toThrow(/SIGNING_KEY_ENCRYPTION_SECRET is not the one/);
    expect(() => new KeyEncryption(randomBytes(32), randomBytes(32)).open(sealed)).toThrow(/nor SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS/);
    const key = randomBytes(32);
    const good = new KeyEncryption(key).seal(PEM);
    const tampered = `${good.slice(0, -2)}${good.endsWith('A') ? 'B' : 'A'}${good.slice(-1)}`;
    expect(() => new KeyEncryption(key).open(tampered)).toThrow(/cannot be decrypted/);
  });

  it('derives a distinct key per purpose, stable for the same key-encryption key', () => {
    const key = randomBytes(32);
    expect(new KeyEncryption(key).derive('audit')).toEqual(new KeyEncryption(key).derive('audit'));
    expect(new KeyEncryption(key).derive('audit')).not.toEqual(new KeyEncryption(key).derive('other'));
    expect(new KeyEncryption(key).derive('audit')).not.toEqual(key);
  });
});
