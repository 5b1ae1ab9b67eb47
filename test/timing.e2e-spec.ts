import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';
import { basic, type ClientCredentials } from './support/oauth.js';

/**
 * Issue 6, timing: whether a username or a client exists must not show in
 * how long a failed attempt takes. Each pair of attempts is alternated (so
 * drift in machine load hits both alike) and compared by median.
 *
 * bcrypt cost 8 here, not the harness's 4: at cost 4 a compare takes about a
 * millisecond, lost in the noise of a request, and a login that skipped it
 * would not stand out. At cost 8 it dominates the request, so an unknown user
 * that skipped the compare would answer several times faster.
 */

const ROUNDS = 30;
const WARM_UP = 5;
/** Medians within this factor of each other count as the same cost. */
const FACTOR = 2;

interface Attempt {
  status: number;
  ms: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

describe('timing of failed authentication', () => {
  let t: TestApp;
  /** For a request that hashes nothing: the bootstrap client has no client_credentials grant. */
  let machine: ClientCredentials;

  /** One token request, timed in-process (no socket noise). */
  async function attempt(form: Record<string, string>, authorization: string): Promise<Attempt> {
    const started = process.hrtime.bigint();
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    return { status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  /** Runs `a` and `b` alternately, ROUNDS times each after a warm-up, and returns their medians. */
  async function alternate(a: () => Promise<Attempt>, b: () => Promise<Attempt>, expectedStatus: number) {
    const times: [number[], number[]] = [[], []];
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const order =
        round % 2
          ? ([
              [a, 0],
              [b, 1],
            ] as const)
          : ([
              [b, 1],
              [a, 0],
            ] as const);
      for (const [run, slot] of order) {
        const { status, ms } = await run();
        expect(status).toBe(expectedStatus);
        if (round >= WARM_UP) times[slot].push(ms);
      }
    }
    return times.map(median) as [number, number];
  }

  beforeAll(async () => {
    t = await startApp({ env: { BCRYPT_COST: '8', RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURES_BEFORE_LOCKOUT: '1000' } });
    machine = await machineClient(t, ['inventory:read']);
  });
  afterAll(() => t.close());

  it('an unknown username costs the same as a wrong password (password grant)', async () => {
    let n = 0;
    const unknownUser = () =>
      attempt({ grant_type: 'password', username: `nobody-${++n}-${randomBytes(4).toString('hex')}`, password: 'wrong-password-1' }, basic(FIRST_PARTY));
    const wrongPassword = () => attempt({ grant_type: 'password', username: ADMIN.username, password: `wrong-password-${++n}` }, basic(FIRST_PARTY));
    const [unknown, wrong] = await alternate(unknownUser, wrongPassword, 400);

    // The comparison means something only if the wrong password paid for bcrypt:
    // it must cost clearly more than a request that never hashes anything.
    const [cheap] = await alternate(
      () => attempt({ grant_type: 'client_credentials' }, basic(machine)),
      () => attempt({ grant_type: 'client_credentials' }, basic(machine)),
      200,
    );
    const report = `unknown user ${unknown.toFixed(2)} ms, wrong password ${wrong.toFixed(2)} ms, no-bcrypt request ${cheap.toFixed(2)} ms`;
    expect(wrong, report).toBeGreaterThan(3 * cheap);
    expect(unknown / wrong, report).toBeGreaterThan(1 / FACTOR);
    expect(unknown / wrong, report).toBeLessThan(FACTOR);
  });

  it('an unknown client costs the same as a wrong client secret (client authentication)', async () => {
    const unknownClient = () =>
      attempt(
        { grant_type: 'client_credentials' },
        basic({ clientId: `gh_${randomBytes(16).toString('base64url')}`, clientSecret: randomBytes(32).toString('base64url') }),
      );
    const wrongSecret = () =>
      attempt({ grant_type: 'client_credentials' }, basic({ clientId: FIRST_PARTY.clientId, clientSecret: randomBytes(32).toString('base64url') }));
    const [unknown, wrong] = await alternate(unknownClient, wrongSecret, 401);
    const report = `unknown client ${unknown.toFixed(3)} ms, wrong secret ${wrong.toFixed(3)} ms`;
    expect(unknown / wrong, report).toBeGreaterThan(1 / FACTOR);
    expect(unknown / wrong, report).toBeLessThan(FACTOR);
  });
});
