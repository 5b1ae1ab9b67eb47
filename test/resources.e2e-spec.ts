import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenIssuanceCounter } from '../src/auth/tokens/token-issuance.counter.js';
import { FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';
import { createUser } from './support/fixtures.js';
import type { ClientCredentials } from './support/oauth.js';
import { adminAuth, basic, clientCredentialsToken, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

/** The sample guarded modules: notes, reports and inventory, as a client developer sees them. */
describe('sample resource modules', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  /** A machine client holding what these tests ask of one; with the bootstrap client, the two approved clients. */
  let machineCredentials: ClientCredentials;

  const bearer = (token: string) => `Bearer ${token}`;
  const loginAs = async (user: { username: string; password: string }, scope?: string) =>
    bearer((await passwordLogin(t, user, scope === undefined ? {} : { scope })).access_token);
  const createNote = async (auth: string, title: string, body = `${title} body`) => {
    const res = await t.http().post('/notes').set('Authorization', auth).send({ title, body });
    expectStatus(res, 201);
    return res.body as { id: string; title: string; body: string; created_at: string; updated_at: string };
  };

  beforeAll(async () => {
    t = await startApp();
    alice = await loginAs(await createUser(t, ['user']));
    bob = await loginAs(await createUser(t, ['user']));
    machineCredentials = await machineClient(t, ['notes:read', 'notes:write', 'inventory:read', 'introspect']);
  });
  afterAll(() => t.close());

  describe('notes', () => {
    it('creates a note (201) and reads it back', async () => {
      const created = await createNote(alice, 'Groceries', 'Milk, eggs');
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Groceries',
        body: 'Milk, eggs',
        created_at: expect.any(String),
        updated_at: created.created_at,
      });
      expect(Date.parse(created.created_at)).not.toBeNaN();
      const res = await t.http().get(`/notes/${created.id}`).set('Authorization', alice);
      expectStatus(res, 200);
      expect(res.body).toEqual(created);
    });

    it("lists only the caller's own notes, newest first, paginated", async () => {
      const auth = await loginAs(await createUser(t, ['user']));
      const titles = ['first', 'second', 'third'];
      for (const title of titles) {
        await createNote(auth, title);
        // Distinct creation instants, so "newest first" has one right answer.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await createNote(bob, 'not yours');

      const all = await t.http().get('/notes').set('Authorization', auth);
      expectStatus(all, 200);
      expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
      expect(all.body.items.map((note: { title: string }) => note.title)).toEqual(['third', 'second', 'first']);

      const page = await t.http().get('/notes?limit=1&offset=1').set('Authorization', auth);
      expectStatus(page, 200);
      expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ title: 'second' }] });
    });

    it('isolates owners: another user cannot read, list or delete a note (404, as for a note that does not exist)', async () => {
      const note = await createNote(alice, 'private');
      const read = await t.http().get(`/notes/${note.id}`).set('Authorization', bob);
      expectStatus(read, 404);
      expect(read.body).toMatchObject({ statusCode: 404 });
      const missing = await t.http().get(`/notes/${randomUUID()}`).set('Authorization', bob);
      expectStatus(missing, 404);
      expect(Object.keys(read.body).sort()).toEqual(Object.keys(missing.body).sort());

      expectStatus(await t.http().delete(`/notes/${note.id}`).set('Authorization', bob), 404);
      const listed = await t.http().get('/notes?limit=100').set('Authorization', bob);
      expect(listed.body.items.map((n: { id: string }) => n.id)).not.toContain(note.id);

      // The owner still has it, and can delete it: 204, then it is gone.
      expectStatus(await t.http().get(`/notes/${note.id}`).set('Authorization', alice), 200);
      const deleted = await t.http().delete(`/notes/${note.id}`).set('Authorization', alice);
      expectStatus(deleted, 204);
      expect(deleted.text).toBe('');
      expectStatus(await t.http().get(`/notes/${note.id}`).set('Authorization', alice), 404);
      expectStatus(await t.http().delete(`/notes/${note.id}`).set('Authorization', alice), 404);
    });

    it('answers a malformed id 400', async () => {
      for (const request of [t.http().get('/notes/not-a-uuid'), t.http().delete('/notes/123')]) {
        const res = await request.set('Authorization', alice);
        expectStatus(res, 400);
        expect(res.body.message).toMatch(/uuid/i);
      }
    });

    it.each([
      ['missing title', { body: 'b' }, /title/],
      ['missing body', { title: 't' }, /body/],
      ['empty title', { title: '', body: 'b' }, /title must not be empty/],
      ['blank body', { title: 't', body: ' \n\t ' }, /body must not be empty/],
      ['title not a string', { title: 42, body: 'b' }, /title must be a string/],
      ['body not a string', { title: 't', body: ['x'] }, /body must be a string/],
      ['title of 201 characters', { title: 'x'.repeat(201), body: 'b' }, /title must be at most 200 characters/],
      ['body of 10 001 characters', { title: 't', body: 'x'.repeat(10_001) }, /body must be at most 10000 characters/],
      ['NUL in the title', { title: 'a\u0000b', body: 'b' }, /NUL/],
      ['lone surrogate in the body', { title: 't', body: 'a\ud800b' }, /valid Unicode/],
      ['an unknown field', { title: 't', body: 'b', owner_id: randomUUID() }, /owner_id/],
    ])('refuses a note with %s (400)', async (_case, payload, message) => {
      const res = await t.http().post('/notes').set('Authorization', alice).send(payload);
      expectStatus(res, 400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('accepts a title of exactly 200 characters, counted as characters rather than UTF-16 units, and a body of 10 000', async () => {
      const title = '🔑'.repeat(200);
      const created = await createNote(alice, title, 'é'.repeat(10_000));
      expect(created.title).toBe(title);
      const res = await t.http().get(`/notes/${created.id}`).set('Authorization', alice);
      expect(res.body.title).toBe(title);
      expect([...res.body.body]).toHaveLength(10_000);
    });

    it('answers a client-credentials token 403 with a clear message: notes belong to users', async () => {
      const machine = bearer((await clientCredentialsToken(t, machineCredentials)).access_token);
      for (const request of [
        t.http().get('/notes'),
        t.http().post('/notes').send({ title: 't', body: 'b' }),
        t.http().get(`/notes/${randomUUID()}`),
        t.http().delete(`/notes/${randomUUID()}`),
      ]) {
        const res = await request.set('Authorization', machine);
        expectStatus(res, 403);
        expect(res.body).toMatchObject({ statusCode: 403, message: expect.stringMatching(/client-credentials token/) });
      }
    });

    it('the handler declaration replaces the controller one: notes:write alone may write but not read', async () => {
      const user = await createUser(t, ['user']);
      const writer = await loginAs(user, 'notes:write');
      const note = await createNote(writer, 'write-only');
      const read = await t.http().get(`/notes/${note.id}`).set('Authorization', writer);
      expectStatus(read, 403);
      expect(read.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="notes:read"');
      expectStatus(await t.http().delete(`/notes/${note.id}`).set('Authorization', writer), 204);
    });
  });

  describe('reports', () => {
    it('GET /reports/summary counts users, clients by status, live refresh-token families and tokens issued in 24 h', async () => {
      const admin = await adminAuth(t);
      // Users first: creating one through the admin API signs the admin in, which is itself counted.
      const user = await createUser(t, ['user']);
      const toDisable = await createUser(t, ['user']);
      await t.app.get(TokenIssuanceCounter).flush();
      const before = await t.http().get('/reports/summary').set('Authorization', admin);
      expectStatus(before, 200);
      expect(before.body).toEqual({
        generated_at: expect.any(String),
        users: { total: expect.any(Number), disabled: 0 },
        clients: { pending: 0, approved: 2, rejected: 0, suspended: 0 },
        active_refresh_token_families: expect.any(Number),
        access_tokens_issued_24h: { total: expect.any(Number), by_grant_type: expect.any(Object) },
      });
      const listed = await t.http().get('/admin/users?limit=1').set('Authorization', admin);
      expect(before.body.users.total).toBe(listed.body.total);
      expect(Math.abs(Date.parse(before.body.generated_at) - Date.now())).toBeLessThan(60_000);

      // Two logins (two new families), two machine tokens, one refresh (same family), one disabled user.
      const login = await passwordLogin(t, user);
      await passwordLogin(t, user);
      await clientCredentialsToken(t, machineCredentials);
      await clientCredentialsToken(t, machineCredentials);
      expectStatus(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! }), 200);
      expectStatus(await t.http().patch(`/admin/users/${toDisable.id}`).set('Authorization', admin).send({ disabled: true }), 200);
      await t.app.get(TokenIssuanceCounter).flush();

      const after = await t.http().get('/reports/summary').set('Authorization', admin);
      expectStatus(after, 200);
      const issued = (body: { access_tokens_issued_24h: { by_grant_type: Record<string, number> } }, grant: string) =>
        body.access_tokens_issued_24h.by_grant_type[grant] ?? 0;
      expect(after.body.users).toEqual({ total: before.body.users.total, disabled: 1 });
      expect(issued(after.body, 'password') - issued(before.body, 'password')).toBe(2);
      expect(issued(after.body, 'client_credentials') - issued(before.body, 'client_credentials')).toBe(2);
      expect(issued(after.body, 'refresh_token') - issued(before.body, 'refresh_token')).toBe(1);
      expect(after.body.access_tokens_issued_24h.total - before.body.access_tokens_issued_24h.total).toBe(5);
      expect(after.body.active_refresh_token_families - before.body.active_refresh_token_families).toBe(2);
    });

    it('a revoked family no longer counts as active', async () => {
      const admin = await adminAuth(t);
      const user = await createUser(t, ['user']);
      const login = await passwordLogin(t, user);
      const before = await t.http().get('/reports/summary').set('Authorization', admin);
      const revoke = await t.http().post('/oauth/revoke').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token: login.refresh_token! });
      expectStatus(revoke, 200);
      const after = await t.http().get('/reports/summary').set('Authorization', admin);
      expect(after.body.active_refresh_token_families).toBe(before.body.active_refresh_token_families - 1);
    });

    it('is refused to a user without reports:read (the seeded user role)', async () => {
      const res = await t.http().get('/reports/summary').set('Authorization', alice);
      expectStatus(res, 403);
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope", scope="reports:read"');
    });
  });

  describe('inventory', () => {
    it('serves a client-credentials token with inventory:read', async () => {
      const machine = bearer((await clientCredentialsToken(t, machineCredentials, 'inventory:read')).access_token);
      const res = await t.http().get('/inventory').set('Authorization', machine);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
      expect(res.body.items).toHaveLength(5);
      expect(res.body.items[0]).toEqual({ sku: expect.any(String), name: expect.any(String), quantity: expect.any(Number), location: expect.any(String) });
      const page = await t.http().get('/inventory?limit=2&offset=4').set('Authorization', machine);
      expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 4, items: [{ sku: res.body.items[4].sku }] });
    });

    it('refuses a client-credentials token whose scope lacks inventory:read (insufficient_scope)', async () => {
      const machine = bearer((await clientCredentialsToken(t, machineCredentials, 'introspect')).access_token);
      const res = await t.http().get('/inventory').set('Authorization', machine);
      expectStatus(res, 403);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="inventory:read"');
    });

    it('refuses a user who does not hold inventory:read', async () => {
      expectStatus(await t.http().get('/inventory').set('Authorization', alice), 403);
    });

    it('rejects a request without a token (401)', async () => {
      const res = await t.http().get('/inventory');
      expectStatus(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    });
  });
});
