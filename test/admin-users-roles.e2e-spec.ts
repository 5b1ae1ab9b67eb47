import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, SEEDED_ROLES } from '../src/common/permissions.js';
import { ADMIN, startApp, type TestApp } from './support/app.js';
import { createUser } from './support/fixtures.js';
import { adminAuth, expectStatus, passwordLogin } from './support/oauth.js';

describe('admin API: users and roles', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await startApp();
    auth = await adminAuth(t);
  });
  afterAll(() => t.close());

  const post = (path: string, body: object) => t.http().post(path).set('Authorization', auth).send(body);
  const patch = (path: string, body: object) => t.http().patch(path).set('Authorization', auth).send(body);

  describe('users', () => {
    it('creates a user (201) and never shows a hash', async () => {
      const res = await post('/admin/users', { username: 'Carol', password: 'correct horse battery', roles: ['user'] });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.any(String),
        username: 'Carol',
        roles: ['user'],
        disabled: false,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const list = await t.http().get('/admin/users').set('Authorization', auth).expect(200);
      expect(list.body).toMatchObject({ total: expect.any(Number), limit: 50, offset: 0 });
      expect(JSON.stringify(list.body)).not.toMatch(/\$2[aby]\$|password|hash/i);
      const login = await passwordLogin(t, { username: 'carol', password: 'correct horse battery' });
      expect(login.scope).toBe([...SEEDED_ROLES.user].sort().join(' '));
    });

    it('answers 409 for a taken username, case-insensitively', async () => {
      const res = await post('/admin/users', { username: ADMIN.username.toUpperCase(), password: 'another password', roles: [] });
      expectStatus(res, 409);
    });

    it('refuses a short password, one over 72 UTF-8 bytes, and one with NUL', async () => {
      const short = await post('/admin/users', { username: 'short-pw', password: 'seven77', roles: [] });
      expectStatus(short, 400);
      expect(JSON.stringify(short.body)).toContain('at least 8 characters');
      // 25 × "€" is 25 characters but 75 bytes: bcrypt would silently drop the tail.
      const long = await post('/admin/users', { username: 'long-pw', password: '€'.repeat(25), roles: [] });
      expectStatus(long, 400);
      expect(JSON.stringify(long.body)).toContain('72 bytes');
      const exactly72 = await post('/admin/users', { username: 'pw-72', password: '€'.repeat(24), roles: [] });
      expectStatus(exactly72, 201);
      const nul = await post('/admin/users', { username: 'nul-pw', password: 'abc\u0000defghij', roles: [] });
      expectStatus(nul, 400);
    });

    it('refuses unknown roles, bad usernames and unknown fields', async () => {
      expectStatus(await post('/admin/users', { username: 'dave', password: 'long enough', roles: ['wizard'] }), 400);
      expectStatus(await post('/admin/users', { username: 'a b', password: 'long enough', roles: [] }), 400);
      expectStatus(await post('/admin/users', { username: 'eve', password: 'long enough', roles: [], disabled: true }), 400);
      expectStatus(await post('/admin/users', { username: 'eve', password: 12345678, roles: [] }), 400);
    });

    it('changes roles and disables users; 404 for an unknown id, 400 for a malformed one', async () => {
      const user = await createUser(t, ['user']);
      const res = await patch(`/admin/users/${user.id}`, { roles: [], disabled: true });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ id: user.id, roles: [], disabled: true });
      expectStatus(await patch(`/admin/users/${randomUUID()}`, { disabled: true }), 404);
      expectStatus(await patch('/admin/users/not-a-uuid', { disabled: true }), 400);
      expectStatus(await patch(`/admin/users/${user.id}`, { disabled: 'yes' }), 400);
    });

    it('kills tokens issued before a disable for good, while tokens issued after re-enabling work at once', async () => {
      const user = await createUser(t, ['user']);
      const before = await passwordLogin(t, user);
      expectStatus(await patch(`/admin/users/${user.id}`, { disabled: true }), 200);
      expectStatus(await patch(`/admin/users/${user.id}`, { disabled: false }), 200);
      const after = await passwordLogin(t, user);
      expect((await t.http().get('/me').set('Authorization', `Bearer ${after.access_token}`)).status).toBe(200);
      expect((await t.http().get('/me').set('Authorization', `Bearer ${before.access_token}`)).status).toBe(401);
    });

    it('does not let an admin disable their own account', async () => {
      const me = await t.http().get('/me').set('Authorization', auth).expect(200);
      expectStatus(await patch(`/admin/users/${me.body.id}`, { disabled: true }), 409);
    });

    it('is closed to users without users:manage', async () => {
      const user = await createUser(t, ['user']);
      const { access_token } = await passwordLogin(t, user);
      const res = await t.http().get('/admin/users').set('Authorization', `Bearer ${access_token}`);
      expectStatus(res, 403);
      expect(
        await t
          .http()
          .get('/admin/users')
          .then((r) => r.status),
      ).toBe(401);
    });
  });

  describe('roles', () => {
    it('lists the seeded roles: admin holds every permission, user the basics', async () => {
      const res = await t.http().get('/admin/roles').set('Authorization', auth).expect(200);
      const byName = Object.fromEntries(res.body.items.map((role: { name: string; permissions: string[] }) => [role.name, role.permissions]));
      expect(byName.admin).toEqual([...ALL_PERMISSIONS].sort());
      expect(byName.user).toEqual([...SEEDED_ROLES.user].sort());
    });

    it('creates and updates a role; 409 when it exists, 404 when it does not', async () => {
      expectStatus(await post('/admin/roles', { name: 'auditor', permissions: ['audit:read'] }), 201);
      expectStatus(await post('/admin/roles', { name: 'auditor', permissions: [] }), 409);
      const updated = await patch('/admin/roles/auditor', { permissions: ['audit:read', 'reports:read'] });
      expectStatus(updated, 200);
      expect(updated.body).toMatchObject({ name: 'auditor', permissions: ['audit:read', 'reports:read'] });
      expectStatus(await patch('/admin/roles/nobody', { permissions: [] }), 404);
    });

    it('refuses unknown permissions and bad names', async () => {
      expectStatus(await post('/admin/roles', { name: 'bad', permissions: ['root'] }), 400);
      expectStatus(await post('/admin/roles', { name: 'Bad Name', permissions: [] }), 400);
    });

    it('answers a malformed role name in the path with 400, before any look-up', async () => {
      expectStatus(await patch('/admin/roles/Not%20A%20Role', { permissions: [] }), 400);
      expectStatus(await patch(`/admin/roles/${'x'.repeat(65)}`, { permissions: [] }), 400);
    });

    it('keeps the admin role whole', async () => {
      expectStatus(await patch('/admin/roles/admin', { permissions: [] }), 409);
    });

    it('records changes in the audit trail', async () => {
      const audit = await t.http().get('/admin/audit?type=role.updated').set('Authorization', auth).expect(200);
      expect(audit.body.items[0]).toMatchObject({ type: 'role.updated', details: { role: 'auditor' } });
    });
  });
});
