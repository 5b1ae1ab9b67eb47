import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { basic } from './support/oauth.js';
import { openRawDatabase } from './support/raw-database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';

/**
 * Issue 6, crash safety: the compiled server is killed with SIGKILL in the
 * middle of a load of logins and refresh-token rotations, then started again
 * on the same database. Every refresh chain must be able to go on from the
 * last token it received, including the chains whose last rotation committed
 * but whose response never arrived (REFRESH_TOKEN_GRACE_PERIOD covers them),
 * and the database must hold no half-written rotation.
 */

const CHAINS = 12;
/** Chains whose last rotation is made to lose its response on purpose, so the grace path is always taken. */
const LOST = 3;
/** Successful rotations to see before the kill; the chains keep going until it lands. */
const ROTATIONS_BEFORE_KILL = 100;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

interface Chain {
  name: string;
  /** The newest refresh token this client has received. */
  last: string;
  rotations: number;
  /** An HTTP answer other than 200 before the kill (there must be none). */
  refused?: string;
}

describe('crash safety: SIGKILL during logins and refreshes', () => {
  let database: TestDatabase | undefined;
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop(2_000);
    await database?.drop();
  });

  it('leaves every refresh family usable by its client and no half-written rows', async () => {
    database = await createTestDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: baseUrl,
      DATABASE_URL: database.url,
      REFRESH_TOKEN_GRACE_PERIOD: '60',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      LOGIN_FAILURES_BEFORE_LOCKOUT: '1000',
      BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      BOOTSTRAP_CLIENT_ID: FIRST_PARTY.clientId,
      BOOTSTRAP_CLIENT_SECRET: FIRST_PARTY.clientSecret,
    };
    const start = async () => {
      const server = spawnServer(env);
      servers.push(server);
      await waitForOutput(server, /Gatehouse listening on/, 90_000);
      return server;
    };

    const token = (form: Record<string, string>) =>
      fetch(`${baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: basic(FIRST_PARTY), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    const login = async (user: { username: string; password: string }) => {
      const res = await token({ grant_type: 'password', ...user });
      const body = (await res.json()) as { refresh_token: string; access_token: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    const refresh = async (refreshToken: string) => {
      const res = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      return { status: res.status, body: (await res.json()) as { refresh_token?: string; access_token?: string; error?: string } };
    };

    // First life: a few users, and chains of rotations that run until the process dies.
    const first = await start();
    const adminToken = (await login(ADMIN)).access_token;
    const users = [ADMIN];
    for (let i = 0; i < 3; i++) {
      const user = { username: `crash-user-${i}`, password: `crash-password-${i}` };
      const res = await fetch(`${baseUrl}/admin/users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...user, roles: ['user'] }),
      });
      expect(res.status).toBe(201);
      users.push(user);
    }

    let killed = false;
    let rotations = 0;
    const chains: Chain[] = [];
    const run = async (chain: Chain) => {
      // Until the kill, every answer must be 200; after it, requests fail at the socket.
      while (!killed) {
        let answer;
        try {
          answer = await refresh(chain.last);
        } catch {
          return;
        }
        if (answer.status !== 200) {
          if (!killed) chain.refused = `${answer.status} ${JSON.stringify(answer.body)}`;
          return;
        }
        chain.last = answer.body.refresh_token!;
        chain.rotations++;
        rotations++;
      }
    };
    const running: Promise<void>[] = [];
    for (let i = 0; i < CHAINS + LOST; i++) {
      const chain: Chain = { name: `chain-${i}`, last: (await login(users[i % users.length])).refresh_token, rotations: 0 };
      chains.push(chain);
      // The LOST chains stay still until the end; the others rotate as fast as they can.
      if (i < CHAINS) running.push(run(chain));
    }
    const deadline = Date.now() + 20_000;
    while (rotations < ROTATIONS_BEFORE_KILL && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rotations, 'the load never got going').toBeGreaterThanOrEqual(ROTATIONS_BEFORE_KILL);

    // A rotation that commits but whose response the client never reads: it keeps the token it had.
    const lostChains = chains.slice(CHAINS);
    for (const chain of lostChains) expect((await refresh(chain.last)).status).toBe(200);

    killed = true;
    first.child.kill('SIGKILL');
    const death = await first.exited;
    expect(death.signal).toBe('SIGKILL');
    await Promise.all(running);
    expect(chains.filter((chain) => chain.refused).map((chain) => `${chain.name}: ${chain.refused}`)).toEqual([]);

    // Second life, same database and address.
    await start();
    const raw = await openRawDatabase(database);
    try {
      const usedAtRestart = async (chain: Chain) =>
        // COUNT(*) is a number from SQLite and a string from pg.
        (
          await raw.query<{ used: number | string }>('SELECT COUNT(*) AS used FROM refresh_tokens WHERE token_hash = ? AND used_at IS NOT NULL', [
            sha256(chain.last),
          ])
        ).map((row) => Number(row.used))[0];
      for (const chain of lostChains) expect(await usedAtRestart(chain), `${chain.name} was not rotated before the kill`).toBe(1);
      let inFlight = 0;
      for (const chain of chains.slice(0, CHAINS)) inFlight += await usedAtRestart(chain);

      for (const chain of chains) {
        const resumed = await refresh(chain.last);
        expect(resumed, `${chain.name} after ${chain.rotations} rotations (${inFlight} natural chains lost a response at the kill)`).toMatchObject({
          status: 200,
        });
        const next = await refresh(resumed.body.refresh_token!);
        expect(next.status, `${chain.name} second refresh: ${JSON.stringify(next.body)}`).toBe(200);
        const me = await fetch(`${baseUrl}/me`, { headers: { Authorization: `Bearer ${next.body.access_token}` } });
        expect(me.status).toBe(200);
        chain.last = next.body.refresh_token!;
      }
    } finally {
      await raw.close();
    }
    await servers[servers.length - 1].stop();

    // What the two lives left behind.
    const db = await openRawDatabase(database);
    try {
      const count = async (sql: string) => Number(Object.values((await db.query(sql))[0])[0]);
      if (database.dialect === 'sqlite') {
        expect(await db.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        expect(await db.query('PRAGMA foreign_key_check')).toEqual([]);
      }
      expect(await count('SELECT COUNT(*) FROM refresh_token_families'), 'one family per login').toBe(CHAINS + LOST + 1);
      expect(
        await count(`SELECT COUNT(*) FROM refresh_tokens t LEFT JOIN refresh_token_families f ON f.id = t.family_id WHERE f.id IS NULL`),
        'tokens without a family',
      ).toBe(0);
      expect(
        await count(`SELECT COUNT(*) FROM refresh_token_families f WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)`),
        'families without a token',
      ).toBe(0);
      expect(
        await count(
          `SELECT COUNT(*) FROM refresh_tokens t WHERE t.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens p WHERE p.id = t.parent_id AND p.family_id = t.family_id)`,
        ),
        'tokens whose parent is missing',
      ).toBe(0);
      expect(
        await count(`SELECT COUNT(*) FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
          WHERE t.used_at IS NOT NULL AND f.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.parent_id = t.id)`),
        'used tokens without a successor in a live family',
      ).toBe(0);
      expect(
        await count(`SELECT COUNT(*) FROM (SELECT t.family_id FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
          WHERE t.used_at IS NULL AND t.revoked_at IS NULL AND f.revoked_at IS NULL GROUP BY t.family_id HAVING COUNT(*) > 1) AS x`),
        'families with more than one live token',
      ).toBe(0);
      expect(await count('SELECT COUNT(*) FROM refresh_token_families WHERE revoked_at IS NOT NULL'), 'families revoked (as reuse)').toBe(0);
      const chainTokensLive = await Promise.all(
        chains.map(async (chain) =>
          count(`SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = '${sha256(chain.last)}' AND used_at IS NULL AND revoked_at IS NULL`),
        ),
      );
      expect(chainTokensLive).toEqual(chains.map(() => 1));
    } finally {
      await db.close();
    }
  }, 120_000);
});
