import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser, insertClient } from '../../../test/support/fixtures.js';
import { adminAuth, basic, clientCredentialsToken, passwordLogin } from '../../../test/support/oauth.js';
import { type FakeEvents, startFakeEvents } from './support/fake-events.js';
import { FIRST_PARTY, resourceOptions, signedByGatehouse, startGatehouse, type Gatehouse, watchIntrospection } from './support/gatehouse.js';
import { applied, expectInvalidToken, type ResourceApp, startResourceApp, until } from './support/resource-app.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * Permissions are introspected once per token and kept; each event of the vocabulary drops or
 * refuses exactly what it names, on the very next request, and refusals need no call to Gatehouse.
 */
describe('resource-server library: permissions cached per token, dropped by events', () => {
  let t: Gatehouse;
  let events: FakeEvents;
  let resource: ResourceApp;
  let introspections: ReturnType<typeof watchIntrospection>;
  let admin: string;

  const calls = () => introspections.mock.calls.length;
  const userToken = async (roles = ['user'], scope = 'notes:read') => {
    const user = await createUser(t, roles);
    return { user, token: (await passwordLogin(t, user, { scope })).access_token };
  };
  /** Asserts `action` causes exactly `expected` introspections. */
  const introspected = async (expected: number, action: () => Promise<void>) => {
    const before = calls();
    await action();
    expect(calls() - before).toBe(expected);
  };
  const status = async (path: string, token: string) => (await resource.call(path, token)).status;

  beforeAll(async () => {
    t = await startGatehouse();
    events = await startFakeEvents();
    introspections = watchIntrospection(t);
    resource = await startResourceApp(resourceOptions(t, events));
    admin = await adminAuth(t);
  });
  beforeEach(() => until('the event stream to be up', () => resource.health.status().mode === 'stream'));
  afterAll(async () => {
    await resource.close();
    await events.close();
    await t.close();
  });

  it('introspects a token once, then serves it from the cache', async () => {
    const { token } = await userToken();
    await introspected(1, async () => {
      for (let i = 0; i < 5; i++) expect(await status('/notes', token)).toBe(200);
    });
  });

  it('concurrent first requests with one token share one introspection', async () => {
    const { token } = await userToken();
    await introspected(1, async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => status('/notes', token)));
      expect(answers).toEqual(Array(8).fill(200));
    });
  });

  it('access_token.revoked: refused on the next request, with no call to Gatehouse', async () => {
    const { token } = await userToken();
    expect(await status('/notes', token)).toBe(200);
    const revoked = await t.http().post('/oauth/revoke').set('Authorization', basic(FIRST_PARTY)).type('form').send({ token });
    expect(revoked.status).toBe(200);
    const [, payload] = token.split('.');
    const { jti, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string; exp: number };
    await applied(resource, events.publish('access_token.revoked', { jti, exp }));
    await introspected(0, async () => expectInvalidToken(await resource.call('/notes', token), 'The access token has been revoked'));
  });

  it('family.revoked: every token carrying the sid is refused with no call; other families are untouched', async () => {
    const withSid = (sid: string) => signedByGatehouse(t, { sid });
    const [first, second, other] = await Promise.all([withSid('family-1'), withSid('family-1'), withSid('family-2')]);
    for (const token of [first, second, other]) expect(await status('/stock', token)).toBe(200);
    await applied(resource, events.publish('family.revoked', { sid: 'family-1', sub: t.service.clientId, client_id: t.service.clientId }));
    await introspected(0, async () => {
      await expectInvalidToken(await resource.call('/stock', first), 'The access token has been revoked');
      await expectInvalidToken(await resource.call('/stock', second), 'The access token has been revoked');
      expect(await status('/stock', other)).toBe(200);
    });
  });

  it("user.disabled: the user's tokens are refused with no call; another user's stay cached", async () => {
    const alice = await userToken();
    const bob = await userToken();
    expect(await status('/notes', alice.token)).toBe(200);
    expect(await status('/notes', bob.token)).toBe(200);
    expect((await t.http().patch(`/admin/users/${alice.user.id}`).set('Authorization', admin).send({ disabled: true })).status).toBe(200);
    await applied(resource, events.publish('user.disabled', { sub: alice.user.id, not_before: now() }));
    await introspected(0, async () => {
      await expectInvalidToken(await resource.call('/notes', alice.token), 'The user is disabled');
      expect(await status('/notes', bob.token)).toBe(200);
    });
  });

  it("user.deleted: the user's tokens are refused with no call", async () => {
    const { user, token } = await userToken();
    expect(await status('/notes', token)).toBe(200);
    await applied(resource, events.publish('user.deleted', { sub: user.id }));
    await introspected(0, async () => expectInvalidToken(await resource.call('/notes', token), 'The user no longer exists'));
  });

  it('user.roles_changed: the cache serves the old answer until the event, then the next request re-introspects and sees the change', async () => {
    const { user, token } = await userToken();
    expect(await status('/notes', token)).toBe(200);
    expect((await t.http().patch(`/admin/users/${user.id}`).set('Authorization', admin).send({ roles: [] })).status).toBe(200);
    // No event yet: the cached decision stands (this is what the event exists for).
    await introspected(0, async () => expect(await status('/notes', token)).toBe(200));
    await applied(resource, events.publish('user.roles_changed', { sub: user.id }));
    await introspected(1, async () => expect(await status('/notes', token)).toBe(403));
  });

  it("role.changed: every user's permissions are reloaded, a client's are not", async () => {
    const role = `scribe-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await t
          .http()
          .post('/admin/roles')
          .set('Authorization', admin)
          .send({ name: role, permissions: ['notes:read'] })
      ).status,
    ).toBe(201);
    const { token } = await userToken([role]);
    const machine = (await clientCredentialsToken(t, t.service, 'inventory:read')).access_token;
    expect(await status('/notes', token)).toBe(200);
    expect(await status('/stock', machine)).toBe(200);
    expect((await t.http().patch(`/admin/roles/${role}`).set('Authorization', admin).send({ permissions: [] })).status).toBe(200);
    await applied(resource, events.publish('role.changed', { role }));
    await introspected(1, async () => {
      expect(await status('/notes', token)).toBe(403);
      expect(await status('/stock', machine)).toBe(200);
    });
  });

  it("client.suspended: the client's tokens are refused with no call", async () => {
    const client = await insertClient(t);
    const { access_token } = await clientCredentialsToken(t, client, 'inventory:read');
    expect(await status('/stock', access_token)).toBe(200);
    expect((await t.http().post(`/admin/clients/${client.id}/suspend`).set('Authorization', admin).send({ reason: 'test' })).status).toBe(200);
    await applied(resource, events.publish('client.suspended', { client_id: client.clientId, not_before: now() }));
    await introspected(0, async () => expectInvalidToken(await resource.call('/stock', access_token), 'The client is not approved'));
  });

  it("client.changed: the client's tokens are re-introspected on their next request", async () => {
    const client = await insertClient(t);
    const { access_token } = await clientCredentialsToken(t, client, 'inventory:read');
    expect(await status('/stock', access_token)).toBe(200);
    await applied(resource, events.publish('client.changed', { client_id: client.clientId }));
    await introspected(1, async () => {
      expect(await status('/stock', access_token)).toBe(200);
      expect(await status('/stock', access_token)).toBe(200);
    });
  });

  it.each([
    ['an event type it does not know', () => events.publish('session.ended', { sub: 'someone' })],
    ['an event it cannot read', () => events.sendRaw('id: 9999\nevent: user.disabled\ndata: {not json\n\n')],
  ])('%s drops every cached decision', async (_case, send) => {
    const one = await userToken();
    const two = await userToken();
    expect(await status('/notes', one.token)).toBe(200);
    expect(await status('/notes', two.token)).toBe(200);
    const generation = resource.health.status().lastEventId;
    send();
    await until('the event to arrive', () => resource.health.status().lastEventId !== generation);
    await introspected(2, async () => {
      expect(await status('/notes', one.token)).toBe(200);
      expect(await status('/notes', two.token)).toBe(200);
    });
  });

  it('an event that lands while the token is being introspected keeps that answer out of the cache', async () => {
    const { user, token } = await userToken();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = introspections.getMockImplementation()!;
    introspections.mockImplementationOnce(async (...args) => {
      const answer = await original(...args);
      await gate;
      return answer;
    });
    const before = calls();
    const pending = status('/notes', token);
    await until('the introspection to start', () => calls() > before);
    await applied(resource, events.publish('user.roles_changed', { sub: user.id }));
    release();
    expect(await pending).toBe(200);
    await introspected(1, async () => expect(await status('/notes', token)).toBe(200));
  });

  it('a token Gatehouse says is inactive is refused, and from then on without a call', async () => {
    const { user, token } = await userToken();
    expect((await t.http().patch(`/admin/users/${user.id}`).set('Authorization', admin).send({ disabled: true })).status).toBe(200);
    await introspected(1, async () => expectInvalidToken(await resource.call('/notes', token), 'The access token is no longer active'));
    await introspected(0, async () => expectInvalidToken(await resource.call('/notes', token), 'The access token is no longer active'));
  });

  it('a service started after a change still refuses the affected token (introspection knows)', async () => {
    const { token } = await userToken();
    expect((await t.http().post('/oauth/revoke').set('Authorization', basic(FIRST_PARTY)).type('form').send({ token })).status).toBe(200);
    const late = await startResourceApp(resourceOptions(t, events));
    try {
      await expectInvalidToken(await late.call('/notes', token), 'The access token is no longer active');
    } finally {
      await late.close();
    }
  });

  it("without `permissions` in Gatehouse's answer, the token's scope is taken as its permissions", async () => {
    introspections.mockRestore();
    const plain = watchIntrospection(t, { permissions: false });
    try {
      const { token } = await userToken(['user'], 'notes:read notes:write');
      const res = await resource.call('/whoami', token);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ scope: ['notes:read', 'notes:write'], permissions: ['notes:read', 'notes:write'] });
      expect(plain).toHaveBeenCalled();
    } finally {
      plain.mockRestore();
      introspections = watchIntrospection(t);
    }
  });

  it("opens the stream with a client-credentials token of the service's own client, and takes a new one when refused", async () => {
    const bearer = events.requests.at(-1)?.authorization ?? '';
    const payload = JSON.parse(Buffer.from(bearer.replace('Bearer ', '').split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ client_id: t.service.clientId, sub: t.service.clientId, scope: 'events:subscribe' });

    const seen = events.requests.length;
    events.refuseTokens(1);
    events.cut();
    events.restore();
    await until('a reconnection after the refusal', () => events.requests.length >= seen + 2 && resource.health.status().mode === 'stream');
    const [refused, retried] = events.requests.slice(seen);
    expect(retried.authorization).toMatch(/^Bearer ey/);
    expect(retried.authorization).not.toBe(refused.authorization);
  });
});
