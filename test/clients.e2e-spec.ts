import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import {
  type ClientBody,
  createUser,
  expectNoSecret,
  machineClient,
  messageOf,
  registerClient,
  review,
  reviewRequest,
  secretRequest,
  takeSecret,
  type TestUser,
} from './support/clients.js';
import { adminAuth, basic, type ClientCredentials, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuditItem {
  id: number;
  type: string;
  actor_id: string | null;
  client_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * The whole registration story, in order: each step builds on the one
 * before, as a registrant and a reviewer would live it.
 */
describe('client registration and review: the story', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let alice: TestUser;
  let bob: TestUser;
  /** alice's machine-to-machine app: approved with narrowed scopes, untrusted. */
  let m2m: ClientBody;
  let m2mCredentials: ClientCredentials;
  const secretsSeen: string[] = [];

  const me = (auth: string) => t.http().get('/me').set('Authorization', auth);
  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminAuth(t);
    adminId = (await me(admin)).body.id as string;
    // A registrant may ask only for scopes it holds: these two build integrations.
    const integrator = { name: 'integrator', permissions: ['inventory:read', 'reports:read', 'introspect'] };
    expectStatus(await t.http().post('/admin/roles').set('Authorization', admin).send(integrator), 201);
    alice = await createUser(t, admin, 'alice', ['user', 'integrator']);
    bob = await createUser(t, admin, 'bob', ['user', 'integrator']);
  });
  afterAll(() => t.close());

  it('a user registers a client: 201, pending, nothing granted, no client_id', async () => {
    const res = await t
      .http()
      .post('/clients')
      .set('Authorization', alice.auth)
      .send({
        name: 'Acme Inventory Sync',
        description: 'Syncs the inventory every night',
        grant_types: ['client_credentials', 'password', 'refresh_token'],
        scopes: ['inventory:read', 'reports:read', 'introspect'],
        redirect_uris: ['https://acme.example/callback', 'http://127.0.0.1:8765/cb', 'http://[::1]/cb', 'http://localhost/cb'],
        contact_email: 'ops@acme.example',
      });
    expectStatus(res, 201);
    m2m = res.body as ClientBody;
    expect(m2m).toMatchObject({
      name: 'Acme Inventory Sync',
      description: 'Syncs the inventory every night',
      status: 'pending',
      client_id: null,
      requested_grant_types: ['client_credentials', 'password', 'refresh_token'],
      requested_scopes: ['inventory:read', 'reports:read', 'introspect'],
      administrative_scopes: ['introspect'],
      grant_types: [],
      scopes: [],
      trusted: false,
      review_note: null,
      has_secret: false,
      secret_created_at: null,
      owner_id: alice.id,
      contact_email: 'ops@acme.example',
      redirect_uris: ['https://acme.example/callback', 'http://127.0.0.1:8765/cb', 'http://[::1]/cb', 'http://localhost/cb'],
    });
    expect(m2m.id).toMatch(UUID);
    expect(Object.keys(m2m).sort()).toEqual(
      [
        'id',
        'name',
        'description',
        'contact_email',
        'redirect_uris',
        'requested_grant_types',
        'requested_scopes',
        'administrative_scopes',
        'grant_types',
        'scopes',
        'trusted',
        'token_endpoint_auth_method',
        'status',
        'client_id',
        'review_note',
        'has_secret',
        'secret_created_at',
        'owner_id',
        'created_at',
        'updated_at',
      ].sort(),
    );

    const own = await t.http().get('/clients').set('Authorization', alice.auth);
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(own.body.items.map((c: ClientBody) => c.id)).toEqual([m2m.id]);
    const one = await t.http().get(`/clients/${m2m.id}`).set('Authorization', alice.auth);
    expectStatus(one, 200);
    expect(one.body).toEqual(m2m);
  });

  it('another user sees neither the registration in their list nor by id (404)', async () => {
    const list = await t.http().get('/clients').set('Authorization', bob.auth);
    expectStatus(list, 200);
    expect(list.body.total).toBe(0);
    const one = await t.http().get(`/clients/${m2m.id}`).set('Authorization', bob.auth);
    expectStatus(one, 404);
  });

  it('the review queue shows it; a non-reviewer gets 403', async () => {
    const queue = await t.http().get('/admin/clients?status=pending').set('Authorization', admin);
    expectStatus(queue, 200);
    expect(queue.body.items.map((c: ClientBody) => c.id)).toContain(m2m.id);
    expect(queue.body.items.every((c: ClientBody) => c.status === 'pending')).toBe(true);

    const approvedOnly = await t.http().get('/admin/clients?status=approved').set('Authorization', admin);
    expectStatus(approvedOnly, 200);
    expect(approvedOnly.body.items.map((c: ClientBody) => c.id)).not.toContain(m2m.id);

    expectStatus(await t.http().get('/admin/clients?status=pending').set('Authorization', alice.auth), 403);
    expectStatus(await reviewRequest(t, alice.auth, m2m.id, 'approve', {}), 403);
    expectStatus(await reviewRequest(t, bob.auth, m2m.id, 'reject', { reason: 'mine now' }), 403);
    expectStatus(await t.http().get('/admin/clients'), 401);
    const after = await t.http().get(`/clients/${m2m.id}`).set('Authorization', alice.auth);
    expect(after.body.status).toBe('pending');
  });

  it('approval may not widen the request (400 naming the field)', async () => {
    const wider = await reviewRequest(t, admin, m2m.id, 'approve', { scopes: ['inventory:read', 'users:manage'] });
    expectStatus(wider, 400);
    expect(messageOf(wider)).toContain('scopes');
    expect(messageOf(wider)).toContain('users:manage');
    const still = await t.http().get(`/clients/${m2m.id}`).set('Authorization', alice.auth);
    expect(still.body).toMatchObject({ status: 'pending', client_id: null });
  });

  it('a reviewer approves with narrowed scopes: client_id assigned, not a uuid, grants as requested', async () => {
    const approved = await review(t, admin, m2m.id, 'approve', { scopes: ['inventory:read', 'introspect'], note: 'reports:read is not needed for a sync' });
    expect(approved).toMatchObject({
      id: m2m.id,
      status: 'approved',
      grant_types: ['client_credentials', 'password', 'refresh_token'],
      scopes: ['inventory:read', 'introspect'],
      trusted: false,
      review_note: 'reports:read is not needed for a sync',
      has_secret: false,
    });
    expect(approved.client_id).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
    expect(approved.client_id).not.toMatch(UUID);
    expect(approved.client_id).not.toBe(alice.id);
    m2m = approved;
    const seenByOwner = await t.http().get(`/clients/${m2m.id}`).set('Authorization', alice.auth);
    expect(seenByOwner.body).toMatchObject({ status: 'approved', client_id: m2m.client_id, review_note: 'reports:read is not needed for a sync' });
  });

  it('another user cannot take the secret (404); neither can a reviewer who does not own it', async () => {
    expectStatus(await secretRequest(t, bob.auth, m2m.id), 404);
    expectStatus(await secretRequest(t, admin, m2m.id), 404);
  });

  it('the owner takes the secret: returned once, 256 bits base64url, never shown again', async () => {
    const res = await secretRequest(t, alice.auth, m2m.id);
    expectStatus(res, 200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['client_id', 'client_secret']);
    expect(res.body.client_id).toBe(m2m.client_id);
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    m2mCredentials = { clientId: res.body.client_id, clientSecret: res.body.client_secret };
    secretsSeen.push(m2mCredentials.clientSecret);

    const own = await t.http().get(`/clients/${m2m.id}`).set('Authorization', alice.auth);
    expect(own.body.has_secret).toBe(true);
    expect(Date.parse(own.body.secret_created_at)).not.toBeNaN();
    expectNoSecret(own.body, ...secretsSeen);
    const queue = await t.http().get('/admin/clients').set('Authorization', admin);
    expectNoSecret(queue.body, ...secretsSeen);
  });

  it('client_credentials works inside the granted scope and fails outside it (invalid_scope)', async () => {
    const inside = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'inventory:read' }, m2mCredentials);
    expectStatus(inside, 200);
    expect(inside.body.scope).toBe('inventory:read');
    const all = await tokenRequest(t, { grant_type: 'client_credentials' }, m2mCredentials);
    expectStatus(all, 200);
    expect(all.body.scope.split(' ').sort()).toEqual(['introspect', 'inventory:read']);
    const whoami = await me(bearer(inside.body.access_token));
    expectStatus(whoami, 200);
    expect(whoami.body).toMatchObject({ id: m2m.client_id, client_id: m2m.client_id, username: null });

    // Requested at registration but narrowed away at approval.
    const narrowedAway = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'reports:read' }, m2mCredentials);
    expectStatus(narrowedAway, 400);
    expect(narrowedAway.body.error).toBe('invalid_scope');
    const neverAsked = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'inventory:read users:manage' }, m2mCredentials);
    expectStatus(neverAsked, 400);
    expect(neverAsked.body.error).toBe('invalid_scope');
  });

  it("an untrusted client's password grant gets unauthorized_client", async () => {
    const res = await tokenRequest(t, { grant_type: 'password', username: alice.username, password: alice.password }, m2mCredentials);
    expectStatus(res, 400);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('a client acting for itself cannot register clients, even with the scope', async () => {
    const registrar = await machineClient(t, ['clients:register']);
    const machine = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'clients:register' }, registrar);
    expectStatus(machine, 200);
    const res = await t
      .http()
      .post('/clients')
      .set('Authorization', bearer(machine.body.access_token))
      .send({ name: 'x', description: 'y', grant_types: ['client_credentials'], scopes: [] });
    expectStatus(res, 403);
  });

  it('secret rotation kills the old secret at once (401 invalid_client); the new one works', async () => {
    // Warm the auth cache with the old secret, so the test sees the invalidation, not a cold read.
    expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, m2mCredentials), 200);
    const rotated = await takeSecret(t, alice.auth, m2m.id);
    secretsSeen.push(rotated.clientSecret);
    expect(rotated.clientId).toBe(m2mCredentials.clientId);
    expect(rotated.clientSecret).not.toBe(m2mCredentials.clientSecret);

    const old = await tokenRequest(t, { grant_type: 'client_credentials' }, m2mCredentials);
    expectStatus(old, 401);
    expect(old.body.error).toBe('invalid_client');
    expect(old.headers['www-authenticate']).toMatch(/^Basic/);
    expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, rotated), 200);
    m2mCredentials = rotated;
  });

  describe('suspension and reinstatement', () => {
    /** alice's trusted first-party-style app, so a user login with a refresh token can go through it. */
    let app: ClientBody;
    let appCredentials: ClientCredentials;
    let userTokens: { access_token: string; refresh_token?: string };
    let clientToken: string;

    beforeAll(async () => {
      app = await registerClient(t, alice.auth, {
        name: 'Acme Notes',
        grant_types: ['password', 'refresh_token', 'client_credentials'],
        scopes: ['notes:read', 'introspect'],
      });
      app = await review(t, admin, app.id, 'approve', { trusted: true, note: 'first-party style app' });
      expect(app.trusted).toBe(true);
      appCredentials = await takeSecret(t, alice.auth, app.id);
      secretsSeen.push(appCredentials.clientSecret);
      userTokens = await passwordLogin(t, alice, { client: appCredentials });
      clientToken = (await tokenRequest(t, { grant_type: 'client_credentials', scope: 'notes:read' }, appCredentials)).body.access_token;
    });

    const introspect = (credentials: ClientCredentials, token: string) =>
      t.http().post('/oauth/introspect').type('form').set('Authorization', basic(credentials)).send({ token });
    const revoke = (credentials: ClientCredentials, token: string) =>
      t.http().post('/oauth/revoke').type('form').set('Authorization', basic(credentials)).send({ token });

    it('before: its tokens work everywhere', async () => {
      expectStatus(await me(bearer(userTokens.access_token)), 200);
      expectStatus(await me(bearer(clientToken)), 200);
      const active = await introspect(appCredentials, userTokens.access_token);
      expectStatus(active, 200);
      expect(active.body.active).toBe(true);
    });

    it('suspend needs a reason (400 naming it)', async () => {
      for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: 42 }]) {
        const res = await reviewRequest(t, admin, app.id, 'suspend', body);
        expectStatus(res, 400);
        expect(messageOf(res)).toContain('reason');
      }
      const still = await t.http().get(`/clients/${app.id}`).set('Authorization', alice.auth);
      expect(still.body.status).toBe('approved');
    });

    it('suspend kills issued access tokens at once, its refresh tokens, and its client authentication', async () => {
      const suspended = await review(t, admin, app.id, 'suspend', { reason: 'Leaked its secret in a public repo' });
      expect(suspended).toMatchObject({ status: 'suspended', client_id: app.client_id, review_note: 'Leaked its secret in a public repo' });

      for (const token of [userTokens.access_token, clientToken]) {
        const res = await me(bearer(token));
        expectStatus(res, 401);
        expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      }
      const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: userTokens.refresh_token! }, appCredentials);
      expectStatus(refresh, 401);
      expect(refresh.body.error).toBe('invalid_client');
      const cc = await tokenRequest(t, { grant_type: 'client_credentials' }, appCredentials);
      expectStatus(cc, 401);
      expect(cc.body.error).toBe('invalid_client');
      const revoked = await revoke(appCredentials, userTokens.access_token);
      expectStatus(revoked, 401);
      expect(revoked.body.error).toBe('invalid_client');
      const inspected = await introspect(appCredentials, userTokens.access_token);
      expectStatus(inspected, 401);
      expect(inspected.body.error).toBe('invalid_client');

      // A resource server asking about them hears they are dead, refresh token included.
      for (const token of [userTokens.access_token, userTokens.refresh_token!, clientToken]) {
        const res = await introspect(FIRST_PARTY, token);
        expectStatus(res, 200);
        expect(res.body).toEqual({ active: false });
      }
      const seenByOwner = await t.http().get(`/clients/${app.id}`).set('Authorization', alice.auth);
      expect(seenByOwner.body).toMatchObject({ status: 'suspended', review_note: 'Leaked its secret in a public repo' });
      // No new secret for a suspended client.
      expectStatus(await secretRequest(t, alice.auth, app.id), 409);
    });

    it('reinstate restores issuing at once, while the tokens cut off stay dead', async () => {
      const reinstated = await review(t, admin, app.id, 'reinstate', { note: 'Secret rotated, repo cleaned' });
      expect(reinstated).toMatchObject({ status: 'approved', client_id: app.client_id, trusted: true, review_note: 'Secret rotated, repo cleaned' });

      // New tokens work straight away.
      const cc = await tokenRequest(t, { grant_type: 'client_credentials' }, appCredentials);
      expectStatus(cc, 200);
      expectStatus(await me(bearer(cc.body.access_token)), 200);
      const login = await passwordLogin(t, alice, { client: appCredentials });
      expectStatus(await me(bearer(login.access_token)), 200);
      const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! }, appCredentials);
      expectStatus(refreshed, 200);

      // What the suspension cut off stays dead.
      for (const token of [userTokens.access_token, clientToken]) expectStatus(await me(bearer(token)), 401);
      const oldRefresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: userTokens.refresh_token! }, appCredentials);
      expectStatus(oldRefresh, 400);
      expect(oldRefresh.body.error).toBe('invalid_grant');
      for (const token of [userTokens.access_token, userTokens.refresh_token!]) {
        const res = await introspect(appCredentials, token);
        expectStatus(res, 200);
        expect(res.body.active).toBe(false);
      }
    });

    it("the audit trail holds the app's decisions, newest first, with actor, reason and from → to", async () => {
      const res = await t.http().get(`/admin/audit?client=${app.id}&limit=100`).set('Authorization', admin);
      expectStatus(res, 200);
      const items = res.body.items as AuditItem[];
      expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));
      expect(items.every((e) => e.client_id === app.id)).toBe(true);
      const decisions = items.filter((e) => e.type.startsWith('client.'));
      expect(decisions.map((e) => e.type)).toEqual(['client.reinstated', 'client.suspended', 'client.secret_rotated', 'client.approved', 'client.registered']);
      const [reinstated, suspended, rotated, approved, registered] = decisions;
      expect(reinstated).toMatchObject({ actor_id: adminId, reason: 'Secret rotated, repo cleaned', details: { from: 'suspended', to: 'approved' } });
      expect(suspended).toMatchObject({
        actor_id: adminId,
        reason: 'Leaked its secret in a public repo',
        details: { from: 'approved', to: 'suspended', refresh_families_revoked: 1 },
      });
      expect(rotated).toMatchObject({ actor_id: alice.id });
      expect(approved).toMatchObject({ actor_id: adminId, reason: 'first-party style app', details: { from: 'pending', to: 'approved', trusted: true } });
      expect(registered).toMatchObject({ actor_id: alice.id });
      expectNoSecret(res.body, ...secretsSeen);
    });
  });

  describe('rejection', () => {
    let rejected: ClientBody;

    it('reject needs a reason; with one, the registrant sees it', async () => {
      const pending = await registerClient(t, bob.auth, { name: 'Bob Scraper', description: 'scrapes', scopes: ['reports:read'] });
      const noReason = await reviewRequest(t, admin, pending.id, 'reject', {});
      expectStatus(noReason, 400);
      expect(messageOf(noReason)).toContain('reason');

      rejected = await review(t, admin, pending.id, 'reject', { reason: 'The description does not say what it does' });
      expect(rejected).toMatchObject({
        status: 'rejected',
        client_id: null,
        review_note: 'The description does not say what it does',
        grant_types: [],
        scopes: [],
      });
      const own = await t.http().get(`/clients/${pending.id}`).set('Authorization', bob.auth);
      expectStatus(own, 200);
      expect(own.body).toMatchObject({ status: 'rejected', review_note: 'The description does not say what it does' });
      const queue = await t.http().get('/admin/clients?status=pending').set('Authorization', admin);
      expect(queue.body.items.map((c: ClientBody) => c.id)).not.toContain(pending.id);
    });

    it('a rejected client gets no secret (409), and cannot be approved after all (409)', async () => {
      const secret = await secretRequest(t, bob.auth, rejected.id);
      expectStatus(secret, 409);
      expect(messageOf(secret)).toContain('rejected');
      const approve = await reviewRequest(t, admin, rejected.id, 'approve', {});
      expectStatus(approve, 409);
      expect(messageOf(approve)).toContain('rejected');
    });

    it('the audit trail keeps the rejection with its actor and reason', async () => {
      const res = await t.http().get(`/admin/audit?client=${rejected.id}`).set('Authorization', admin);
      expectStatus(res, 200);
      expect((res.body.items as AuditItem[]).map((e) => [e.type, e.actor_id, e.reason])).toEqual([
        ['client.rejected', adminId, 'The description does not say what it does'],
        ['client.registered', bob.id, null],
      ]);
      expect(res.body.items[0].details).toMatchObject({ from: 'pending', to: 'rejected' });
    });
  });

  it("the m2m client's trail: registered, approved with the narrowed scopes, two secrets; no failed attempt recorded", async () => {
    const res = await t.http().get(`/admin/audit?client=${m2m.id}&type=client.approved`).set('Authorization', admin);
    expectStatus(res, 200);
    expect(res.body.total).toBe(1);
    expect(res.body.items[0]).toMatchObject({
      actor_id: adminId,
      reason: 'reports:read is not needed for a sync',
      details: { from: 'pending', to: 'approved', scopes: ['inventory:read', 'introspect'], trusted: false },
    });
    const rotations = await t.http().get(`/admin/audit?client=${m2m.id}&type=client.secret_rotated`).set('Authorization', admin);
    expect(rotations.body.total).toBe(2);
    expectNoSecret(rotations.body, ...secretsSeen);
    expectStatus(await t.http().get(`/admin/audit?client=${m2m.id}`).set('Authorization', alice.auth), 403);
  });
});
