import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import {
  approvedClient,
  type ClientBody,
  createUser,
  messageOf,
  registerClient,
  registerRequest,
  review,
  type ReviewAction,
  reviewRequest,
  secretRequest,
  type TestUser,
} from './support/clients.js';
import { adminAuth, expectStatus } from './support/oauth.js';

/** A body each action accepts, so only the id or the state decides the answer. */
const VALID_BODY: Record<ReviewAction, Record<string, unknown>> = {
  approve: {},
  reject: { reason: 'no' },
  suspend: { reason: 'abuse' },
  reinstate: {},
};
const ACTIONS = Object.keys(VALID_BODY) as ReviewAction[];

describe('client registration and review: refusals', () => {
  let t: TestApp;
  let admin: string;
  let carol: TestUser;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminAuth(t);
    // A registrant may ask only for scopes it holds: carol builds integrations.
    const integrator = { name: 'integrator', permissions: ['inventory:read', 'reports:read'] };
    expectStatus(await t.http().post('/admin/roles').set('Authorization', admin).send(integrator), 201);
    carol = await createUser(t, admin, 'carol', ['user', 'integrator']);
  });
  afterAll(() => t.close());

  const base = {
    name: 'Carol App',
    description: 'Does things',
    grant_types: ['client_credentials'],
    scopes: ['inventory:read'],
  };

  it.each([
    ['status', { status: 'approved' }],
    ['trusted', { trusted: true }],
    ['client_id', { client_id: 'gh_mine' }],
    ['grant_types', { grant_types: ['implicit'] }],
    ['token_endpoint_auth_method', { token_endpoint_auth_method: 'private_key_jwt' }],
    ['grant_types', { grant_types: [] }],
    ['grant_types', { grant_types: 'client_credentials' }],
    ['grant_types', { grant_types: ['client_credentials', 'client_credentials'] }],
    ['grant_types', { grant_types: ['refresh_token'] }],
    ['scopes', { scopes: ['root'] }],
    ['scopes', { scopes: 'inventory:read' }],
    ['redirect_uri', { redirect_uris: ['http://app.example/cb'] }],
    ['redirect_uri', { redirect_uris: ['/cb'] }],
    ['redirect_uri', { redirect_uris: ['https://app.example/cb#x'] }],
    ['redirect_uris', { redirect_uris: 'https://app.example/cb' }],
    ['contact_email', { contact_email: 'not-an-email' }],
    ['name', { name: undefined }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['description', { description: undefined }],
    ['description', { description: 7 }],
  ])('registration refuses a bad %s (400 naming it)', async (field, change) => {
    const res = await registerRequest(t, carol.auth, { ...base, ...change });
    expectStatus(res, 400);
    expect(messageOf(res)).toContain(field);
  });

  it('refused registrations leave nothing behind', async () => {
    const own = await t.http().get('/clients').set('Authorization', carol.auth);
    expect(own.body.total).toBe(0);
  });

  it('registration needs a token (401) and the permission (403)', async () => {
    expectStatus(await t.http().post('/clients').send(base), 401);
    const auditor = await createUser(t, admin, 'dave', []);
    expectStatus(await registerRequest(t, auditor.auth, base), 403);
    expectStatus(await t.http().get('/clients').set('Authorization', auditor.auth), 403);
  });

  it('the queue validates its query', async () => {
    for (const query of ['status=bogus', 'limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'extra=1']) {
      expectStatus(await t.http().get(`/admin/clients?${query}`).set('Authorization', admin), 400);
    }
    const page = await t.http().get('/admin/clients?limit=1&offset=0').set('Authorization', admin);
    expectStatus(page, 200);
    expect(page.body).toMatchObject({ limit: 1, offset: 0 });
    expect(page.body.items).toHaveLength(1);
  });

  describe('approval limits', () => {
    let pending: ClientBody;
    beforeAll(async () => {
      pending = await registerClient(t, carol.auth, { grant_types: ['client_credentials'], scopes: ['reports:read', 'inventory:read'] });
    });

    it.each([
      ['grant_types', { grant_types: ['password'] }],
      ['grant_types', { grant_types: ['implicit'] }],
      ['grant_types', { grant_types: [] }],
      ['scopes', { scopes: ['notes:write'] }],
      ['scopes', { scopes: ['nope'] }],
      ['trusted', { trusted: 'yes' }],
      ['note', { note: 5 }],
      ['status', { status: 'approved' }],
      ['client_id', { client_id: 'gh_chosen' }],
    ])('approve refuses a bad %s (400 naming it) and changes nothing', async (field, body) => {
      const res = await reviewRequest(t, admin, pending.id, 'approve', body);
      expectStatus(res, 400);
      expect(messageOf(res)).toContain(field);
      const after = await t.http().get(`/clients/${pending.id}`).set('Authorization', carol.auth);
      expect(after.body).toMatchObject({ status: 'pending', client_id: null, grant_types: [], scopes: [] });
    });

    it('approve with no body grants exactly what was requested, untrusted', async () => {
      const approved = await review(t, admin, pending.id, 'approve');
      expect(approved).toMatchObject({
        status: 'approved',
        grant_types: ['client_credentials'],
        scopes: ['reports:read', 'inventory:read'],
        trusted: false,
        review_note: null,
      });
    });
  });

  describe('illegal transitions', () => {
    const inState: Partial<Record<ClientBody['status'], ClientBody>> = {};

    beforeAll(async () => {
      inState.pending = await registerClient(t, carol.auth, { name: 'pending one' });
      inState.approved = (await approvedClient(t, carol, admin, { name: 'approved one' })).client;
      const rejected = await registerClient(t, carol.auth, { name: 'rejected one' });
      inState.rejected = await review(t, admin, rejected.id, 'reject', { reason: 'no' });
      const suspended = (await approvedClient(t, carol, admin, { name: 'suspended one' })).client;
      inState.suspended = await review(t, admin, suspended.id, 'suspend', { reason: 'abuse' });
    });

    const illegal: [ReviewAction, ClientBody['status']][] = [
      ['approve', 'approved'],
      ['approve', 'rejected'],
      ['approve', 'suspended'],
      ['reject', 'approved'],
      ['reject', 'rejected'],
      ['reject', 'suspended'],
      ['suspend', 'pending'],
      ['suspend', 'rejected'],
      ['suspend', 'suspended'],
      ['reinstate', 'pending'],
      ['reinstate', 'approved'],
      ['reinstate', 'rejected'],
    ];

    it.each(illegal)('%s a %s client → 409 naming the state, and nothing changes', async (action, status) => {
      const client = inState[status]!;
      const res = await reviewRequest(t, admin, client.id, action, VALID_BODY[action]);
      expectStatus(res, 409);
      expect(messageOf(res)).toContain(`it is ${status}`);
      const after = await t.http().get(`/clients/${client.id}`).set('Authorization', carol.auth);
      expect(after.body).toEqual(client);
    });

    it('a refused transition writes no audit event', async () => {
      for (const status of ['pending', 'approved', 'rejected', 'suspended'] as const) {
        const res = await t.http().get(`/admin/audit?client=${inState[status]!.id}`).set('Authorization', admin);
        const types = (res.body.items as { type: string }[]).map((e) => e.type);
        expect(types.filter((type) => ['client.approved', 'client.rejected', 'client.suspended', 'client.reinstated'].includes(type)).length).toBe(
          { pending: 0, approved: 1, rejected: 1, suspended: 2 }[status],
        );
      }
    });

    it('a pending client gets no secret (409 naming its state)', async () => {
      const res = await secretRequest(t, carol.auth, inState.pending!.id);
      expectStatus(res, 409);
      expect(messageOf(res)).toContain('pending');
    });
  });

  it('two reviewers approving at once: one wins, the other gets 409, one client_id', async () => {
    const pending = await registerClient(t, carol.auth, { name: 'raced' });
    const answers = await Promise.all([1, 2, 3].map((n) => reviewRequest(t, admin, pending.id, 'approve', { note: `reviewer ${n}` })));
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = answers.find((res) => res.status === 200)!;
    const after = await t.http().get(`/clients/${pending.id}`).set('Authorization', carol.auth);
    expect(after.body).toMatchObject({ status: 'approved', client_id: winner.body.client_id, review_note: winner.body.review_note });
    const audit = await t.http().get(`/admin/audit?client=${pending.id}&type=client.approved`).set('Authorization', admin);
    expect(audit.body.total).toBe(1);
  });

  describe('malformed and unknown ids answer 400 and 404, never 500', () => {
    const malformed = ['not-a-uuid', '123', "1'%20OR%20'1'='1", `${randomUUID()}x`, 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'];

    it.each(malformed)('id %s → 400 on every route', async (id) => {
      expectStatus(await t.http().get(`/clients/${id}`).set('Authorization', carol.auth), 400);
      expectStatus(await secretRequest(t, carol.auth, id), 400);
      for (const action of ACTIONS) expectStatus(await reviewRequest(t, admin, id, action, VALID_BODY[action]), 400);
    });

    it('an unknown id → 404 on every route', async () => {
      const id = randomUUID();
      expectStatus(await t.http().get(`/clients/${id}`).set('Authorization', carol.auth), 404);
      expectStatus(await secretRequest(t, carol.auth, id), 404);
      for (const action of ACTIONS) expectStatus(await reviewRequest(t, admin, id, action, VALID_BODY[action]), 404);
    });
  });

  it('the OpenAPI document describes the routes and a client schema without secrets', async () => {
    const res = await t.http().get('/docs/openapi.json');
    expectStatus(res, 200);
    const paths = Object.keys(res.body.paths as Record<string, unknown>);
    for (const path of ['/clients', '/clients/{id}', '/clients/{id}/secret', '/admin/clients', ...ACTIONS.map((a) => `/admin/clients/{id}/${a}`)]) {
      expect(paths).toContain(path);
    }
    const schema = res.body.components.schemas.ClientDto as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain('has_secret');
    expect(
      Object.keys(schema.properties)
        .filter((key) => /secret/.test(key))
        .sort(),
    ).toEqual(['has_secret', 'secret_created_at']);
  });
});
