import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, insertClient } from '../../../test/support/fixtures.js';
import { adminAuth, passwordLogin } from '../../../test/support/oauth.js';
import { freePort } from '../../../test/support/server-process.js';
import { type FakeEvents, startFakeEvents } from './support/fake-events.js';
import { resourceOptions, startGatehouse, type Gatehouse, watchIntrospection } from './support/gatehouse.js';
import { expectInvalidToken, type ResourceApp, startResourceApp, until } from './support/resource-app.js';

/** Short bounds so an outage is seen in a test: down for 1 s is down too long; silent for 1 s is down. */
const BOUNDS = { maxOutageSeconds: 1, heartbeatTimeoutSeconds: 1 };

/**
 * While the event stream is down the cache cannot be trusted for long: past the bound the service
 * fails closed (503, unhealthy) or, by option, asks Gatehouse on every request; when the stream
 * comes back it resumes from Last-Event-ID and misses nothing.
 */
describe('resource-server library: event stream outages', () => {
  let t: Gatehouse;
  let admin: string;

  const userToken = async () => {
    const user = await createUser(t, ['user']);
    return { user, token: (await passwordLogin(t, user, { scope: 'notes:read' })).access_token };
  };
  const jtiOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string; exp: number };
  const streaming = (resource: ResourceApp) => until('the event stream to be up', () => resource.health.status().mode === 'stream');

  beforeAll(async () => {
    t = await startGatehouse();
    admin = await adminAuth(t);
  });
  afterAll(() => t.close());

  describe('fail-closed (the default)', () => {
    let events: FakeEvents;
    let resource: ResourceApp;

    beforeAll(async () => {
      events = await startFakeEvents();
      resource = await startResourceApp(resourceOptions(t, events, { events: BOUNDS }));
    });
    afterAll(async () => {
      await resource.close();
      await events.close();
    });

    it('serves from the cache within the bound, answers 503 and reports unhealthy past it, then recovers and replays what it missed', async () => {
      await streaming(resource);
      const kept = await userToken();
      const doomed = await userToken();
      expect((await resource.call('/notes', kept.token)).status).toBe(200);
      expect((await resource.call('/notes', doomed.token)).status).toBe(200);
      const lastBeforeCut = events.publish('client.changed', { client_id: 'unrelated' });
      await until('the event to be applied', () => resource.health.status().lastEventId === lastBeforeCut);

      events.cut();
      await until('the cut to be seen', () => !resource.health.status().connected);
      expect(resource.health.status()).toMatchObject({ healthy: true, mode: 'grace' });
      expect((await resource.call('/notes', kept.token)).status).toBe(200);

      // Missed while down: a revocation.
      const { jti, exp } = jtiOf(doomed.token);
      const missed = events.publish('access_token.revoked', { jti, exp });

      await until('the outage bound to pass', () => resource.health.status().mode === 'closed');
      expect(resource.health.isHealthy()).toBe(false);
      const refused = await resource.call('/notes', kept.token);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect(await refused.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Access decisions are unavailable right now; try again shortly',
      });
      // Public routes do not depend on the stream.
      expect((await resource.call('/open')).status).toBe(200);

      const seen = events.requests.length;
      events.restore();
      await streaming(resource);
      await until('the replay to be applied', () => resource.health.status().lastEventId === missed);
      expect(events.requests.slice(seen).at(-1)?.lastEventId).toBe(lastBeforeCut);
      expect(resource.health.status()).toMatchObject({ healthy: true, mode: 'stream', connected: true, downSince: null });
      await expectInvalidToken(await resource.call('/notes', doomed.token), 'The access token has been revoked');
      expect((await resource.call('/notes', kept.token)).status).toBe(200);
    });

    it('a stream that goes silent (no heartbeat) counts as down from its last byte, and fails closed past the bound', async () => {
      await streaming(resource);
      const { token } = await userToken();
      expect((await resource.call('/notes', token)).status).toBe(200);
      const silencedAt = Date.now();
      events.silence();
      await until('the silence to be noticed', () => !resource.health.status().connected, 4_000);
      const { lastError, downSince } = resource.health.status();
      expect(lastError).toMatch(/no data or heartbeat/);
      // Down since the last heartbeat it heard (they come every 200 ms), not since it noticed a second later.
      expect(Date.parse(downSince!)).toBeLessThanOrEqual(silencedAt + 50);
      await until('the outage bound to pass', () => resource.health.status().mode === 'closed', 4_000);
      expect((await resource.call('/notes', token)).status).toBe(503);
      events.restore();
      await streaming(resource);
      expect((await resource.call('/notes', token)).status).toBe(200);
    });

    it('a service whose stream never comes up fails closed once the bound has passed since it started', async () => {
      const nowhere = await startFakeEvents();
      nowhere.cut();
      const late = await startResourceApp(resourceOptions(t, nowhere, { events: BOUNDS }));
      try {
        const { token } = await userToken();
        expect(late.health.status()).toMatchObject({ mode: 'grace', connected: false });
        expect((await late.call('/notes', token)).status).toBe(200);
        await until('the outage bound to pass', () => late.health.status().mode === 'closed');
        expect((await late.call('/notes', token)).status).toBe(503);
        expect(late.health.status().lastError).toMatch(/503/);
      } finally {
        await late.close();
        await nowhere.close();
      }
    });
  });

  describe('Gatehouse itself cannot answer', () => {
    it('unreachable: a guarded request gets 503, never a 500 or a verdict on the token', async () => {
      const events = await startFakeEvents();
      const port = await freePort();
      const resource = await startResourceApp(resourceOptions({ baseUrl: `http://127.0.0.1:${port}`, service: t.service }, events, { requestTimeoutMs: 500 }));
      try {
        const { token } = await userToken();
        const res = await resource.call('/notes', token);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
        expect((await resource.call('/open')).status).toBe(200);
      } finally {
        await resource.close();
        await events.close();
      }
    });

    it("a service whose client may not introspect gets 503 (its misconfiguration), not the caller's 401", async () => {
      const events = await startFakeEvents();
      const client = await insertClient(t, { scopes: ['inventory:read'] });
      const resource = await startResourceApp({ ...resourceOptions(t, events), clientId: client.clientId, clientSecret: client.clientSecret });
      try {
        const { token } = await userToken();
        expect((await resource.call('/notes', token)).status).toBe(503);
      } finally {
        await resource.close();
        await events.close();
      }
    });
  });

  describe("onOutage: 'introspect'", () => {
    let events: FakeEvents;
    let resource: ResourceApp;

    beforeAll(async () => {
      events = await startFakeEvents();
      resource = await startResourceApp(resourceOptions(t, events, { events: { ...BOUNDS, onOutage: 'introspect' } }));
    });
    afterAll(async () => {
      await resource.close();
      await events.close();
    });

    it('past the bound asks Gatehouse on every request, stays healthy and says so; a change made meanwhile is seen at once', async () => {
      const introspections = watchIntrospection(t);
      try {
        await streaming(resource);
        const { user, token } = await userToken();
        expect((await resource.call('/notes', token)).status).toBe(200);
        events.cut();
        await until('the outage bound to pass', () => resource.health.status().mode === 'introspect');
        expect(resource.health.status()).toMatchObject({ healthy: true, mode: 'introspect', connected: false });

        const before = introspections.mock.calls.length;
        for (let i = 0; i < 3; i++) expect((await resource.call('/notes', token)).status).toBe(200);
        expect(introspections.mock.calls.length - before).toBe(3);

        // No event can arrive, yet the next request sees the change.
        expect((await t.http().patch(`/admin/users/${user.id}`).set('Authorization', admin).send({ roles: [] })).status).toBe(200);
        expect((await resource.call('/notes', token)).status).toBe(403);

        events.restore();
        await streaming(resource);
        const settled = introspections.mock.calls.length;
        expect((await resource.call('/notes', token)).status).toBe(403);
        expect((await resource.call('/notes', token)).status).toBe(403);
        expect(introspections.mock.calls.length - settled).toBe(1);
      } finally {
        introspections.mockRestore();
      }
    });
  });
});
