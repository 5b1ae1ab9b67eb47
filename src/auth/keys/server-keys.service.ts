import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { dialectOf } from '../../database/data-source-options.js';
import { KeyEncryption, type KeyEncryptionKey, keyFromSecret } from './key-encryption.js';

/** Beside a SQLite database file `x.sqlite`: `x.sqlite.kek`, its generated key-encryption key. */
export const KEY_FILE_SUFFIX = '.kek';

/**
 * The server's own keys at rest. With SIGNING_KEY_ENCRYPTION_SECRET the
 * key-encryption key comes from it (required on PostgreSQL, where the
 * database is usually on another machine and backed up apart from the
 * server). On SQLite without it, a key is generated once into a 0600 file
 * beside the database: a copy of the database file alone opens nothing.
 */
@Injectable()
export class ServerKeys {
  readonly encryption: KeyEncryption;

  constructor(@InjectAppConfig() config: AppConfig) {
    const previous = config.signingKeyEncryptionSecretPrevious ? keyFromSecret(config.signingKeyEncryptionSecretPrevious) : null;
    this.encryption = new KeyEncryption(currentKey(config), previous);
  }

  /** A short keyed digest of `text` (16 hex digits): equal texts match, and the text cannot be guessed back without the key. */
  keyedDigest(purpose: string, text: string): string {
    return createHmac('sha256', this.encryption.derive(purpose)).update(text, 'utf8').digest('hex').slice(0, 16);
  }
}

function currentKey(config: AppConfig): KeyEncryptionKey {
  if (config.signingKeyEncryptionSecret) return keyFromSecret(config.signingKeyEncryptionSecret);
  // The configuration refuses to start without the secret on PostgreSQL; this is the last guard.
  if (dialectOf(config.databaseUrl) !== 'sqlite') throw new Error('SIGNING_KEY_ENCRYPTION_SECRET must be set when DATABASE_URL is PostgreSQL');
  const path = config.databaseUrl.slice('sqlite:'.length);
  // An in-memory database keeps nothing at rest; its key need not outlive it either.
  if (path === ':memory:') return randomBytes(32);
  return readOrCreateKeyFile(`${resolve(path)}${KEY_FILE_SUFFIX}`);
}

/** Created whole or not at all (written aside, then linked into place), readable by this user only. */
function readOrCreateKeyFile(path: string): KeyEncryptionKey {
  mkdirSync(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, path);
  } catch (error) {
    // Another process (or an earlier start) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new Error(`${path} holds the key-encryption key and must be readable by its owner only: chmod 600 it`);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a key-encryption key (32 bytes in base64)`);
  return key;
}
