import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/support/fixtures.js';
import { adminAuth, basic, passwordLogin } from '../../../test/support/oauth.js';
import { FIRST_PARTY } from '../../../test/support/app.js';
import { startGatehouse, type Gatehouse } from './support/gatehouse.js';
import { type ResourceApp, startResourceApp, until } from './support/resource-app.js';

/**
 * Issue 17's promise, end to end: a service guarded by the library, subscribed to Gatehouse's own
 * GET /events (no fake stream), refuses on its next request what Gatehouse has just ended or
 * narrowed, with no call to Gatehouse on the request path.
 */
describe("a library-guarded service on Gatehouse's live event stream", () => {
  let t: Gatehouse;
  let resource: ResourceApp;
  let admin: string;

  const loggedIn = async (roles = ['user'], scope = 'notes:read') => {
    const user = await createUser(t, roles);
    const tokens = await passwordLogin(t, user, { scope });
    return { user, access: tokens.access_token, refresh: tokens.refresh_token! };
  };
  /** Polls the service until it answers `status` for `token`: the time an event takes to arrive. */
  const refusedWithin = async (path: string, token: string, status: number, ms = 2_000) => {
    const started = Date.now();
    await until(`${path} to answer ${status}`, async () => (await resource.call(path, token)).status === status, ms);
    return Date.now() - started;
  };

  beforeAll(async () => {
    t = await startGatehouse();
    // The library's defaults: <issuer>/events, the service's own client.
    resource = await startResourceApp({ issuer: t.baseUrl, clientId: t.service.clientId, clientSecret: t.service.clientSecret });
    admin = await adminAuth(t);
  });
  beforeEach(() => until('the event stream to be up', () => resource.health.status().mode === 'stream', 10_000));
  afterAll(async () => {
    await resource.close();
    await t.close();
  });

  it('a revoked access token, and the access tokens of a revoked refresh token', async () => {
    const one = await loggedIn();
    expect((await resource.call('/notes', one.access)).status).toBe(200);
    await t.http().post('/oauth/revoke').set('Authorization', basic(FIRST_PARTY)).type('form').send({ token: one.access }).expect(200);
    await refusedWithin('/notes', one.access, 401);

    const two = await loggedIn();
    expect((await resource.call('/notes', two.access)).status).toBe(200);
    await t.http().post('/oauth/revoke').set('Authorization', basic(FIRST_PARTY)).type('form').send({ token: two.refresh }).expect(200);
    await refusedWithin('/notes', two.access, 401);
  });

  it('a disabled user, and a user whose role lost the permission', async () => {
    const disabled = await loggedIn();
    expect((await resource.call('/notes', disabled.access)).status).toBe(200);
    await t.http().patch(`/admin/users/${disabled.user.id}`).set('Authorization', admin).send({ disabled: true }).expect(200);
    await refusedWithin('/notes', disabled.access, 401);

    await t
      .http()
      .post('/admin/roles')
      .set('Authorization', admin)
      .send({ name: 'note-taker', permissions: ['notes:read'] })
      .expect(201);
    const narrowed = await loggedIn(['note-taker']);
    expect((await resource.call('/notes', narrowed.access)).status).toBe(200);
    await t.http().patch('/admin/roles/note-taker').set('Authorization', admin).send({ permissions: [] }).expect(200);
    await refusedWithin('/notes', narrowed.access, 403);
  });
});
