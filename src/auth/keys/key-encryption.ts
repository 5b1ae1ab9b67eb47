import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Private signing keys at rest: AES-256-GCM under a key derived from
 * SIGNING_KEY_ENCRYPTION_SECRET when one is configured; otherwise stored as
 * PKCS#8 PEM and protected by the database's own access control.
 */
export class KeyEncryption {
  private readonly key: Buffer | null;

  constructor(secret: string | undefined) {
    this.key = secret ? createHash('sha256').update(`gatehouse signing keys\0${secret}`).digest() : null;
  }

  seal(pem: string): string {
    if (!this.key) return pem;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join(':')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    if (!this.key) throw new Error('A signing key is encrypted but SIGNING_KEY_ENCRYPTION_SECRET is not set');
    const [iv, tag, sealed] = stored
      .slice(PREFIX.length)
      .split(':')
      .map((part) => Buffer.from(part, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('A signing key cannot be decrypted: SIGNING_KEY_ENCRYPTION_SECRET is not the one it was sealed with');
    }
  }
}
