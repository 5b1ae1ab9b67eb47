import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLUSTER_ADMIN, type Cluster, createCluster, type HttpResult, type Instance, login, token } from './cluster.js';

const PRESENTATIONS = 100;

/**
 * Issue 13's proof on the built server: 100 presentations of one refresh
 * token, to one instance and split across two. A refresh used to hold a
 * pooled connection in a transaction and ask for a second; about 20 at once
 * exhausted the pool (`max: 20`): 43–57 HTTP 500s out of 60, /health 503, an
 * unrelated login 4.9 s.
 */
describe.each([
  { grace: '0', name: 'no grace period' },
  { grace: '30', name: 'a grace period' },
])('100 concurrent refreshes of one token, $name', ({ grace }) => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  let db: pg.Client;

  beforeAll(async () => {
    cluster = await createCluster({ REFRESH_TOKEN_GRACE_PERIOD: grace });
    [a, b] = await Promise.all([cluster.start('A'), cluster.start('B')]);
    db = new pg.Client({ connectionString: cluster.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await cluster?.close();
  });

  const liveTokens = async (refreshToken: string) =>
    Number(
      (
        await db.query(
          `SELECT COUNT(*) AS n FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
           WHERE t.family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex'))
           AND t.used_at IS NULL AND t.revoked_at IS NULL AND f.revoked_at IS NULL`,
          [refreshToken],
        )
      ).rows[0].n,
    );

  /** Presents one token PRESENTATIONS times at once across `targets`, while a bystander logs in and /health is asked. */
  async function race(targets: Instance[]) {
    const { refresh_token } = await login(a);
    const started = performance.now();
    const bystander = login(targets[targets.length - 1], CLUSTER_ADMIN).then(() => performance.now() - started);
    const answers = Promise.all(
      Array.from({ length: PRESENTATIONS }, (_, i) => token(targets[i % targets.length], { grant_type: 'refresh_token', refresh_token })),
    );
    const health = call(targets[0], '/health');
    return { refreshToken: refresh_token, answers: await answers, health: await health, loginMs: await bystander };
  }

  function expectServed(answers: HttpResult[], health: HttpResult, loginMs: number): void {
    expect(answers.filter((res) => res.status >= 500).map((res) => res.body)).toEqual([]);
    expect(health.status).toBe(200);
    expect(loginMs).toBeLessThan(1000);
  }

  for (const split of ['one instance', 'two instances'] as const) {
    it(`on ${split}: no 5xx, /health 200, an unrelated login under a second, and ${grace === '0' ? 'exactly one 200' : 'every answer 200 with the same live token'}`, async () => {
      const { refreshToken, answers, health, loginMs } = await race(split === 'one instance' ? [a] : [a, b]);
      expectServed(answers, health, loginMs);
      const winners = answers.filter((res) => res.status === 200);
      if (grace === '0') {
        expect(winners).toHaveLength(1);
        for (const res of answers.filter((answer) => answer.status !== 200)) expect(res.body.error).toBe('invalid_grant');
        return;
      }
      expect(winners).toHaveLength(PRESENTATIONS);
      const successors = new Set(winners.map((res) => res.body.refresh_token as string));
      expect(successors.size).toBe(1);
      const [successor] = successors;
      expect(await liveTokens(refreshToken)).toBe(1);
      expect((await token(b, { grant_type: 'refresh_token', refresh_token: successor })).status).toBe(200);
    });
  }
});
