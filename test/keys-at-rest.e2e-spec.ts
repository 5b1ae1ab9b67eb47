import { generateKeyPairSync } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, TEST_KEY_ENCRYPTION_SECRET, type TestApp } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { passwordLogin } from './support/oauth.js';
import { openRawDatabase, storedBytes } from './support/raw-database.js';

/**
 * Issue 12, keys at rest: no private signing key is ever in the database
 * files (SQLite: the file and its WAL; PostgreSQL: every relation file, dead
 * row versions included), whatever state the server finds them in.
 */

const SECRET_A = 'first-key-encryption-secret-0123456789abcdef';
const SECRET_B = 'second-key-encryption-secret-0123456789abcdef';

/** The marks a PKCS#8 key leaves as PEM: its armour, and the start of the base64 of an EC P-256 or RSA key. */
const PEM_MARKS = ['PRIVATE KEY', '-----BEGIN', 'MIGHAgEAMBMGByqGSM49', 'MIIEv'];
const pemMarksIn = (bytes: Buffer) => PEM_MARKS.filter((mark) => bytes.includes(Buffer.from(mark)));

async function privateKeyColumns(database: TestDatabase): Promise<string[]> {
  const raw = await openRawDatabase(database);
  try {
    return (await raw.query<{ private_key: string }>('SELECT private_key FROM signing_keys ORDER BY kid')).map((row) => row.private_key);
  } finally {
    await raw.close();
  }
}

/** A key as an older Gatehouse stored it: PKCS#8 PEM in clear, retired but still published. */
async function insertUnsealedKey(database: TestDatabase): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const raw = await openRawDatabase(database);
  try {
    await raw.query(
      "INSERT INTO signing_keys (kid, alg, public_jwk, private_key, status, created_at, retired_at) VALUES (?, 'ES256', ?, ?, 'retired', ?, ?) RETURNING kid",
      [kid, JSON.stringify(jwk), privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), String(Date.now() - 1000), String(Date.now())],
    );
  } finally {
    await raw.close();
  }
  return kid;
}

describe('private signing keys at rest', () => {
  let database: TestDatabase | undefined;
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.close({ keepDatabase: true });
    running = undefined;
    await database?.drop();
    database = undefined;
  });

  const start = async (env: Record<string, string | undefined>) => (running = await startApp({ database, env }));
  const stop = async () => {
    await running?.close({ keepDatabase: true });
    running = undefined;
  };

  it('are never in the database files: before and after a restart with a new secret and the previous one set', async () => {
    database = await createTestDatabase();
    let t = await start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_A });
    const before = await passwordLogin(t);
    const kid = decodeProtectedHeader(before.access_token).kid;
    await stop();
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
    const sealedUnderA = await privateKeyColumns(database);
    expect(sealedUnderA.every((value) => value.startsWith('enc:v1:'))).toBe(true);

    // The change of secret: B is the secret now, A the previous one.
    t = await start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_B, SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS: SECRET_A });
    // The same key signs, so tokens from before the change still hold.
    await t.http().get('/me').set('Authorization', `Bearer ${before.access_token}`).expect(200);
    expect(decodeProtectedHeader((await passwordLogin(t)).access_token).kid).toBe(kid);
    await stop();
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
    const sealedUnderB = await privateKeyColumns(database);
    expect(sealedUnderB.every((value) => value.startsWith('enc:v1:'))).toBe(true);
    expect(sealedUnderB).not.toEqual(sealedUnderA);

    // Sealed again, not merely readable with both: A alone opens nothing now, B alone does.
    await expect(start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_A })).rejects.toThrow(/cannot be decrypted/);
    t = await start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_B });
    await t.http().get('/me').set('Authorization', `Bearer ${before.access_token}`).expect(200);
    await stop();
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
  });

  it('are sealed at start when an older version left one in clear, and the clear bytes are gone from the files', async () => {
    database = await createTestDatabase();
    await start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_A });
    await stop();
    const legacyKid = await insertUnsealedKey(database);
    // The search can find what is there.
    expect(pemMarksIn(await storedBytes(database))).toContain('PRIVATE KEY');

    const t = await start({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_A });
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toContain(legacyKid);
    await passwordLogin(t);
    // While it serves, not only once it has closed the database cleanly.
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
    await stop();
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
    expect((await privateKeyColumns(database)).every((value) => value.startsWith('enc:v1:'))).toBe(true);
  });

  it('without a secret: SQLite seals under a generated key in a 0600 file beside the database; PostgreSQL refuses to start', async () => {
    database = await createTestDatabase();
    if (database.dialect === 'postgres') {
      await expect(start({ SIGNING_KEY_ENCRYPTION_SECRET: undefined })).rejects.toThrow(
        /^Invalid configuration: SIGNING_KEY_ENCRYPTION_SECRET must be set \(32\+ characters\) when DATABASE_URL is PostgreSQL[^\n]*$/,
      );
      // With it (the test support's, which every other PostgreSQL test runs with) the same database starts.
      await passwordLogin(await start({ SIGNING_KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET }));
      return;
    }
    const keyFile = `${database.file!}.kek`;
    const t = await start({ SIGNING_KEY_ENCRYPTION_SECRET: undefined });
    const { access_token } = await passwordLogin(t);
    await stop();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(pemMarksIn(await storedBytes(database))).toEqual([]);
    expect((await privateKeyColumns(database)).every((value) => value.startsWith('enc:v1:'))).toBe(true);

    // The same file opens them again after a restart.
    const again = await start({ SIGNING_KEY_ENCRYPTION_SECRET: undefined });
    await again.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
    await stop();

    // A copy of the database without the key file opens nothing.
    rmSync(keyFile);
    await expect(start({ SIGNING_KEY_ENCRYPTION_SECRET: undefined })).rejects.toThrow(/cannot be decrypted/);
    expect(existsSync(keyFile)).toBe(true);
  });
});
