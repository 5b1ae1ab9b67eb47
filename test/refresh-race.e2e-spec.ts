import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { createUser } from './support/fixtures.js';
import { expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { familyOf, liveTokenCount } from './support/refresh.js';

const PRESENTATIONS = 100;

/**
 * Issue 13: 100 presentations of one refresh token at once. Under that load a
 * rotation must never wait for a second pooled connection while holding one
 * (it deadlocked PostgreSQL's pool of 20: 500s, a 503 /health, a 4.9 s login).
 * Here the server shares its process with the test's client; the timing of an
 * unrelated login is measured on a server of its own in test/scale-out.
 */
async function race(t: TestApp) {
  const login = await passwordLogin(t);
  const bystander = await createUser(t, ['user']);
  const family = await familyOf(t, login.refresh_token!);
  const presentations = Array.from({ length: PRESENTATIONS }, () => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! }));
  // While they run: the service stays healthy, and someone else's login is served.
  const health = t.http().get('/health');
  const unrelated = await passwordLogin(t, bystander);
  const answers = await Promise.all(presentations);
  return { answers, health: await health, unrelated, family };
}

describe('100 concurrent refreshes of one token, no grace period', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers exactly one 200 and no 5xx, while /health stays 200 and an unrelated login is served', async () => {
    const { answers, health, unrelated } = await race(t);
    expect(answers.filter((res) => res.status >= 500)).toEqual([]);
    expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
    for (const res of answers.filter((answer) => answer.status !== 200)) expect(res.body.error).toBe('invalid_grant');
    expectStatus(health, 200);
    expect(unrelated.access_token).toEqual(expect.any(String));
  });
});

describe('100 concurrent refreshes of one token inside the grace period', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { REFRESH_TOKEN_GRACE_PERIOD: '30' } });
  });
  afterAll(() => t.close());

  it('answers every one 200 with the same refresh token, which is live, while /health stays 200 and an unrelated login is served', async () => {
    const { answers, health, unrelated, family } = await race(t);
    expect(answers.map((res) => res.status)).toEqual(Array(PRESENTATIONS).fill(200));
    const successors = new Set(answers.map((res) => res.body.refresh_token as string));
    expect(successors.size).toBe(1);
    expect(await liveTokenCount(t, family)).toBe(1);
    expectStatus(health, 200);
    expect(unrelated.access_token).toEqual(expect.any(String));
    expectStatus(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: [...successors][0] }), 200);
  });
});
