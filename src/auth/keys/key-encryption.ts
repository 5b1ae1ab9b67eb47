import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/** A key-encryption key: 32 bytes for AES-256-GCM. */
export type KeyEncryptionKey = Buffer;

/** The key of SIGNING_KEY_ENCRYPTION_SECRET (or its _PREVIOUS); the derivation every sealed key so far was made with. */
export function keyFromSecret(secret: string): KeyEncryptionKey {
  return createHash('sha256').update(`gatehouse signing keys\0${secret}`).digest();
}

/** What opening a stored private key found. */
export interface Opened {
  pem: string;
  /** False when it was stored unsealed, or sealed under the previous key: it must be sealed again. */
  sealedUnderCurrent: boolean;
}

/**
 * Private signing keys at rest: always AES-256-GCM under the current
 * key-encryption key, never PKCS#8 PEM in the database. The previous key
 * (during a change of SIGNING_KEY_ENCRYPTION_SECRET) and a PEM left by an
 * older version can still be opened, so that start-up can seal them anew.
 */
export class KeyEncryption {
  constructor(
    private readonly current: KeyEncryptionKey,
    private readonly previous: KeyEncryptionKey | null = null,
  ) {}

  seal(pem: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    const sealed = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join(':')}`;
  }

  open(stored: string): Opened {
    if (!stored.startsWith(PREFIX)) return { pem: stored, sealedUnderCurrent: false };
    const pem = decrypt(stored, this.current);
    if (pem !== null) return { pem, sealedUnderCurrent: true };
    const old = this.previous ? decrypt(stored, this.previous) : null;
    if (old !== null) return { pem: old, sealedUnderCurrent: false };
    throw new Error(
      this.previous
        ? 'A signing key cannot be decrypted with SIGNING_KEY_ENCRYPTION_SECRET nor SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS'
        : 'A signing key cannot be decrypted: SIGNING_KEY_ENCRYPTION_SECRET is not the one it was sealed with (set the old one as SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS to change it)',
    );
  }

  /**
   * A key for another purpose (keyed digests in the audit log, say), derived
   * from the current key-encryption key: one secret to keep, and nothing that
   * can be turned back into it.
   */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.current, Buffer.alloc(0), `gatehouse ${purpose}`, 32));
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

function decrypt(stored: string, key: KeyEncryptionKey): string | null {
  const [iv, tag, sealed] = stored
    .slice(PREFIX.length)
    .split(':')
    .map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
