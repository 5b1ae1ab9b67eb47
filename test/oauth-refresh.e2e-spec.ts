import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type TestApp } from './support/app.js';
import { createUser, insertClient } from './support/fixtures.js';
import { adminAuth, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { familyOf, liveTokenCount } from './support/refresh.js';

const refresh = (t: TestApp, refreshToken: string, extra: Record<string, string> = {}, client?: Parameters<typeof tokenRequest>[2]) =>
  tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, client);

describe('refresh_token grant (no grace period)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('rotates: a new refresh token on every use, and the access token works', async () => {
    const login = await passwordLogin(t);
    const first = await refresh(t, login.refresh_token!);
    expectStatus(first, 200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(login.refresh_token);
    expect(first.body.scope).toBe(login.scope);
    await t.http().get('/me').set('Authorization', `Bearer ${first.body.access_token}`).expect(200);
    const second = await refresh(t, first.body.refresh_token);
    expectStatus(second, 200);
  });

  it('treats a rotated token presented again as reuse: the whole family dies and an audit event is written', async () => {
    const login = await passwordLogin(t);
    const rotated = await refresh(t, login.refresh_token!);
    expectStatus(rotated, 200);
    const reuse = await refresh(t, login.refresh_token!);
    expectStatus(reuse, 400);
    expect(reuse.body.error).toBe('invalid_grant');
    // The successor a thief or the client holds is dead too.
    const successor = await refresh(t, rotated.body.refresh_token);
    expect(successor.body.error).toBe('invalid_grant');
    const audit = await t
      .http()
      .get('/admin/audit?type=token.refresh_reuse')
      .set('Authorization', await adminAuth(t))
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({ type: 'token.refresh_reuse', details: { familyId: await familyOf(t, login.refresh_token!) } });
  });

  it('may narrow the scope, never widen it', async () => {
    const login = await passwordLogin(t, ADMIN, { scope: 'notes:read notes:write' });
    const narrower = await refresh(t, login.refresh_token!, { scope: 'notes:read' });
    expectStatus(narrower, 200);
    expect(narrower.body.scope).toBe('notes:read');
    // The family keeps its original scope: the next refresh may ask for all of it again.
    const again = await refresh(t, narrower.body.refresh_token);
    expect(again.body.scope).toBe('notes:read notes:write');
    const wider = await refresh(t, again.body.refresh_token, { scope: 'notes:read users:manage' });
    expectStatus(wider, 400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('is bound to the client it was issued to, and another client cannot burn it', async () => {
    const login = await passwordLogin(t);
    const other = await insertClient(t, { trusted: true });
    const stolen = await refresh(t, login.refresh_token!, {}, other);
    expectStatus(stolen, 400);
    expect(stolen.body.error).toBe('invalid_grant');
    expectStatus(await refresh(t, login.refresh_token!), 200);
  });

  it('needs the refresh_token grant on the client', async () => {
    const client = await insertClient(t, { trusted: true, grantTypes: ['password'] });
    const login = await passwordLogin(t, ADMIN, { client });
    expect(login.refresh_token).toBeDefined();
    const res = await refresh(t, login.refresh_token!, {}, client);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('refuses unknown and missing refresh tokens', async () => {
    expect((await refresh(t, 'x'.repeat(43))).body.error).toBe('invalid_grant');
    const missing = await tokenRequest(t, { grant_type: 'refresh_token' });
    expect(missing.body.error).toBe('invalid_request');
  });

  it('stops working for a disabled user, without being consumed', async () => {
    const user = await createUser(t);
    const login = await passwordLogin(t, user);
    await t
      .http()
      .patch(`/admin/users/${user.id}`)
      .set('Authorization', await adminAuth(t))
      .send({ disabled: true })
      .expect(200);
    const res = await refresh(t, login.refresh_token!);
    expectStatus(res, 400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('leaves at most one live successor after 20 concurrent refreshes of one token', async () => {
    const login = await passwordLogin(t);
    const family = await familyOf(t, login.refresh_token!);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t, login.refresh_token!)));
    const winners = results.filter((res) => res.status === 200);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(results.every((res) => res.status === 200 || res.body.error === 'invalid_grant')).toBe(true);
    expect(await liveTokenCount(t, family)).toBeLessThanOrEqual(1);
  });
});

describe('refresh_token grant with a grace period', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { REFRESH_TOKEN_GRACE_PERIOD: '30' } });
  });
  afterAll(() => t.close({ keepDatabase: false }));

  it('answers a retry after a lost response with the same successor, which stays the one live token', async () => {
    const login = await passwordLogin(t);
    const family = await familyOf(t, login.refresh_token!);
    const lost = await refresh(t, login.refresh_token!);
    expectStatus(lost, 200);
    const retry = await refresh(t, login.refresh_token!);
    expectStatus(retry, 200);
    expect(retry.body.refresh_token).toBe(lost.body.refresh_token);
    expect(retry.body.access_token).not.toBe(lost.body.access_token);
    expect(await liveTokenCount(t, family)).toBe(1);
    expectStatus(await t.http().get('/me').set('Authorization', `Bearer ${retry.body.access_token}`), 200);
    expectStatus(await refresh(t, retry.body.refresh_token), 200);
    expect(await liveTokenCount(t, family)).toBe(1);
  });

  it('gives five tabs refreshing at once the one same live successor, and revokes nothing', async () => {
    const login = await passwordLogin(t);
    const family = await familyOf(t, login.refresh_token!);
    const tabs = await Promise.all(Array.from({ length: 5 }, () => refresh(t, login.refresh_token!)));
    expect(tabs.map((res) => res.status)).toEqual(Array(5).fill(200));
    expect(new Set(tabs.map((res) => res.body.refresh_token as string)).size).toBe(1);
    expect(await liveTokenCount(t, family)).toBe(1);
    // Each tab goes on with what it was given: the first to refresh moves the family on, the others retry inside the grace period.
    const next = await Promise.all(tabs.map((tab) => refresh(t, tab.body.refresh_token)));
    expect(next.map((res) => res.status)).toEqual(Array(5).fill(200));
    expect(await liveTokenCount(t, family)).toBe(1);
  });

  it('answers 20 concurrent refreshes of one token with 200 and the same successor', async () => {
    const login = await passwordLogin(t);
    const family = await familyOf(t, login.refresh_token!);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(t, login.refresh_token!)));
    expect(results.map((res) => res.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((res) => res.body.refresh_token as string)).size).toBe(1);
    expect(await liveTokenCount(t, family)).toBe(1);
  });

  it('counts the parent as reused once its successor has been used, and revokes the family', async () => {
    const login = await passwordLogin(t);
    const next = await refresh(t, login.refresh_token!);
    const after = await refresh(t, next.body.refresh_token);
    expectStatus(after, 200);
    const replay = await refresh(t, login.refresh_token!);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(t, after.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('a stale token revokes only its own family', async () => {
    const [mine, other] = await Promise.all([passwordLogin(t), passwordLogin(t)]);
    const next = await refresh(t, mine.refresh_token!);
    await refresh(t, next.body.refresh_token);
    expect((await refresh(t, mine.refresh_token!)).body.error).toBe('invalid_grant');
    expectStatus(await refresh(t, other.refresh_token!), 200);
  });
});

describe('grace period across a restart', () => {
  it('honours the grace period on a fresh process over the same database', async () => {
    const first = await startApp({ env: { REFRESH_TOKEN_GRACE_PERIOD: '60' } });
    const login = await passwordLogin(first);
    const family = await familyOf(first, login.refresh_token!);
    const rotated = await refresh(first, login.refresh_token!);
    expectStatus(rotated, 200);
    await first.close({ keepDatabase: true });
    const second = await startApp({ env: { REFRESH_TOKEN_GRACE_PERIOD: '60' }, database: first.database });
    try {
      const retry = await refresh(second, login.refresh_token!);
      expectStatus(retry, 200);
      expect(retry.body.refresh_token).toBe(rotated.body.refresh_token);
      expect(await liveTokenCount(second, family)).toBe(1);
    } finally {
      await second.close();
    }
  });
});

describe('refresh token lifetimes', () => {
  it('expires an unused token after REFRESH_TOKEN_IDLE_TTL', async () => {
    const t = await startApp({ env: { REFRESH_TOKEN_IDLE_TTL: '1' } });
    try {
      const login = await passwordLogin(t);
      await sleep(1100);
      const res = await refresh(t, login.refresh_token!);
      expect(res.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
    } finally {
      await t.close();
    }
  });

  it('ends the whole family after REFRESH_TOKEN_TTL, however active', async () => {
    const t = await startApp({ env: { REFRESH_TOKEN_TTL: '2' } });
    try {
      let token = (await passwordLogin(t)).refresh_token!;
      const started = Date.now();
      const next = await refresh(t, token);
      expectStatus(next, 200);
      token = next.body.refresh_token;
      await sleep(Math.max(0, 2100 - (Date.now() - started)));
      expect((await refresh(t, token)).body.error).toBe('invalid_grant');
    } finally {
      await t.close();
    }
  });
});
