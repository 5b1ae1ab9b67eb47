import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, SEEDED_ROLES } from '../src/common/permissions.js';
import { startApp, type TestApp } from './support/app.js';
import {
  type ClientBody,
  createUser,
  machineClient,
  messageOf,
  registerClient,
  registerRequest,
  review,
  reviewRequest,
  type TestUser,
} from './support/clients.js';
import { adminAuth, clientCredentialsToken, expectStatus } from './support/oauth.js';

/**
 * Nobody grants what they do not hold. Each test is an attack that worked
 * before: the actor tries to reach a power it lacks through roles, users,
 * client registration and review, or a machine client, and is refused.
 */
describe('no escalation, anywhere', () => {
  let t: TestApp;
  let admin: string;

  const as = (auth: string) => ({
    post: (path: string, body: object) => t.http().post(path).set('Authorization', auth).send(body),
    patch: (path: string, body: object) => t.http().patch(path).set('Authorization', auth).send(body),
    get: (path: string) => t.http().get(path).set('Authorization', auth),
  });
  const makeRole = async (name: string, permissions: string[]) => expectStatus(await as(admin).post('/admin/roles', { name, permissions }), 201);
  const permissionsOfRole = async (name: string) => {
    const roles = await as(admin).get('/admin/roles?limit=100');
    return (roles.body.items as { name: string; permissions: string[] }[]).find((role) => role.name === name)?.permissions;
  };
  const rolesOf = async (id: string) => {
    const users = await as(admin).get('/admin/users?limit=100');
    return (users.body.items as { id: string; roles: string[] }[]).find((user) => user.id === id)?.roles;
  };
  const expectRefused = (res: { status: number; body: unknown }, ...missing: string[]) => {
    expectStatus(res as never, 403);
    expect((res.body as { missing_permissions: string[] }).missing_permissions).toEqual(expect.arrayContaining(missing));
    for (const permission of missing) expect(messageOf(res as never)).toContain(permission);
  };

  beforeAll(async () => {
    t = await startApp();
    admin = await adminAuth(t);
    await makeRole('manager', ['users:manage']);
    await makeRole('gatekeeper', ['clients:review', 'clients:register', 'inventory:read']);
    await makeRole('integrator', ['clients:register', 'inventory:read', 'users:manage', 'keys:manage']);
  });
  afterAll(() => t.close());

  describe('roles and users: a users:manage-only user', () => {
    let manager: TestUser;
    beforeAll(async () => {
      manager = await createUser(t, admin, 'mallory', ['manager']);
    });

    it('cannot give itself admin (403 naming what it lacks); its roles stay as they were', async () => {
      const res = await as(manager.auth).patch(`/admin/users/${manager.id}`, { roles: ['manager', 'admin'] });
      expectRefused(res, 'keys:manage', 'audit:read', 'clients:review');
      expect(res.body.missing_permissions).not.toContain('users:manage');
      expect(await rolesOf(manager.id)).toEqual(['manager']);
    });

    it('cannot create a user holding admin, nor one with the seeded user role it does not hold', async () => {
      expectRefused(
        await as(manager.auth).post('/admin/users', { username: 'sock-puppet', password: 'sock-puppet-password', roles: ['admin'] }),
        'keys:manage',
      );
      expectRefused(await as(manager.auth).post('/admin/users', { username: 'sock-puppet', password: 'sock-puppet-password', roles: ['user'] }), 'notes:read');
      const users = await as(admin).get('/admin/users?limit=100');
      expect(JSON.stringify(users.body)).not.toContain('sock-puppet');
    });

    it('cannot create a role with keys:manage', async () => {
      expectRefused(await as(manager.auth).post('/admin/roles', { name: 'keymaster', permissions: ['users:manage', 'keys:manage'] }), 'keys:manage');
      expect(await permissionsOfRole('keymaster')).toBeUndefined();
    });

    it('cannot add users:manage to the user role: every permission of the role must be held', async () => {
      const res = await as(manager.auth).patch('/admin/roles/user', { permissions: [...SEEDED_ROLES.user, 'users:manage'] });
      expectRefused(res, 'notes:read', 'notes:write', 'clients:register');
      expect((await permissionsOfRole('user'))?.sort()).toEqual([...SEEDED_ROLES.user].sort());
    });

    it('cannot take a role it does not hold in full away from others, nor disable its holder', async () => {
      const victim = await createUser(t, admin, 'victim', ['user']);
      expectRefused(await as(manager.auth).patch(`/admin/users/${victim.id}`, { roles: [] }), 'notes:read');
      expectRefused(await as(manager.auth).patch(`/admin/users/${victim.id}`, { disabled: true }), 'notes:read');
      expect(await rolesOf(victim.id)).toEqual(['user']);
    });

    it('may hand out what it holds: a role made only of users:manage', async () => {
      const res = await as(manager.auth).post('/admin/users', { username: 'deputy', password: 'deputy-password', roles: ['manager'] });
      expectStatus(res, 201);
      expect(res.body.roles).toEqual(['manager']);
    });

    it('an admin can do all three', async () => {
      expectStatus(await as(admin).patch(`/admin/users/${manager.id}`, { roles: ['manager', 'admin'] }), 200);
      expectStatus(await as(admin).post('/admin/roles', { name: 'keymaster', permissions: ['keys:manage'] }), 201);
      expectStatus(await as(admin).patch('/admin/roles/user', { permissions: [...SEEDED_ROLES.user, 'users:manage'] }), 200);
      expect(await rolesOf(manager.id)).toEqual(['admin', 'manager']);
      expect(await permissionsOfRole('keymaster')).toEqual(['keys:manage']);
      // Put things back for the tests below.
      expectStatus(await as(admin).patch('/admin/roles/user', { permissions: [...SEEDED_ROLES.user] }), 200);
      expectStatus(await as(admin).patch(`/admin/users/${manager.id}`, { roles: ['manager'] }), 200);
    });
  });

  describe('client registration and review', () => {
    let reviewer: TestUser;
    let plain: TestUser;
    let integrator: TestUser;
    beforeAll(async () => {
      reviewer = await createUser(t, admin, 'riley', ['gatekeeper']);
      plain = await createUser(t, admin, 'plain', ['user']);
      integrator = await createUser(t, admin, 'ivy', ['integrator']);
    });

    it('a clients:review + clients:register user cannot get a client holding users:manage by registering and approving it itself', async () => {
      const res = await registerRequest(t, reviewer.auth, {
        name: 'Backdoor',
        description: 'x',
        grant_types: ['client_credentials'],
        scopes: ['users:manage'],
      });
      expectStatus(res, 400);
      expect(res.body).toMatchObject({ error: 'invalid_scope', missing_permissions: ['users:manage'] });
      // What it does hold it may register and approve: that gives it nothing new.
      const own = await registerClient(t, reviewer.auth, { name: 'Own sync', scopes: ['inventory:read'] });
      expect((await review(t, reviewer.auth, own.id, 'approve')).scopes).toEqual(['inventory:read']);
    });

    it('a plain user cannot request users:manage (400 invalid_scope), nor any scope it does not hold', async () => {
      for (const scopes of [['users:manage'], ['notes:read', 'reports:read'], ['introspect']]) {
        const res = await registerRequest(t, plain.auth, { name: 'Greedy', description: 'x', grant_types: ['client_credentials'], scopes });
        expectStatus(res, 400);
        expect(res.body.error).toBe('invalid_scope');
      }
      const listed = await as(plain.auth).get('/clients');
      expect(listed.body.total).toBe(0);
      // The OpenID scopes are no power, and what it holds it may ask for.
      expectStatus(await registerRequest(t, plain.auth, { name: 'Notes app', description: 'x', grant_types: ['password'], scopes: ['notes:read'] }), 201);
    });

    describe('approval by a reviewer who holds less than was requested', () => {
      let pending: ClientBody;
      beforeAll(async () => {
        pending = await registerClient(t, integrator.auth, {
          name: 'Ops robot',
          grant_types: ['client_credentials'],
          scopes: ['inventory:read', 'users:manage', 'keys:manage'],
        });
      });

      it('the queue marks the administrative scopes from the permission catalogue', async () => {
        const queue = await as(reviewer.auth).get('/admin/clients?status=pending');
        const item = (queue.body.items as ClientBody[]).find((client) => client.id === pending.id)!;
        expect(item.administrative_scopes).toEqual(['users:manage', 'keys:manage']);
      });

      it('approval naming a scope the reviewer lacks is refused (403 naming it), and nothing changes', async () => {
        expectRefused(await reviewRequest(t, reviewer.auth, pending.id, 'approve', { scopes: ['inventory:read', 'users:manage'] }), 'users:manage');
        const after = await as(integrator.auth).get(`/clients/${pending.id}`);
        expect(after.body).toMatchObject({ status: 'pending', scopes: [] });
      });

      it('approval with an empty body grants only requested ∩ held by the reviewer', async () => {
        const approved = await review(t, reviewer.auth, pending.id, 'approve');
        expect(approved).toMatchObject({ status: 'approved', scopes: ['inventory:read'] });
      });
    });
  });

  describe('chained through a machine client', () => {
    let robot: string;
    beforeAll(async () => {
      // An admin grants a machine client users:manage and clients:review, and nothing else.
      const credentials = await machineClient(t, ['users:manage', 'clients:review']);
      robot = `Bearer ${(await clientCredentialsToken(t, credentials)).access_token}`;
    });

    it('manages users with what it holds, but cannot make an admin, a key manager, or widen a role', async () => {
      expectStatus(await as(robot).post('/admin/users', { username: 'robot-made', password: 'robot-made-password', roles: ['manager'] }), 201);
      expectRefused(await as(robot).post('/admin/users', { username: 'robot-admin', password: 'robot-admin-password', roles: ['admin'] }), 'keys:manage');
      expectRefused(await as(robot).post('/admin/roles', { name: 'robot-keys', permissions: ['keys:manage'] }), 'keys:manage');
      expectRefused(await as(robot).patch('/admin/roles/user', { permissions: [...SEEDED_ROLES.user, 'users:manage'] }), 'notes:read');
    });

    it('cannot approve a client holding more than it holds itself', async () => {
      const pending = await registerClient(t, admin, { name: 'Key robot', grant_types: ['client_credentials'], scopes: ['users:manage', 'keys:manage'] });
      expectRefused(await reviewRequest(t, robot, pending.id, 'approve', { scopes: ['keys:manage'] }), 'keys:manage');
      expect((await review(t, robot, pending.id, 'approve')).scopes).toEqual(['users:manage']);
    });
  });

  describe('the last admin', () => {
    let app: TestApp;
    let root: string;
    /** Reads the user list whoever is admin at the moment. */
    let watcher: string;
    beforeAll(async () => {
      app = await startApp();
      root = await adminAuth(app);
      watcher = `Bearer ${(await clientCredentialsToken(app, await machineClient(app, ['users:manage']))).access_token}`;
    });
    afterAll(() => app.close());

    const adminsLeft = async () => {
      const users = await app.http().get('/admin/users?limit=100').set('Authorization', watcher);
      return (users.body.items as { roles: string[]; disabled: boolean }[]).filter((user) => user.roles.includes('admin') && !user.disabled).length;
    };
    const me = async (auth: string) => (await app.http().get('/me').set('Authorization', auth)).body.id as string;

    it('cannot be demoted or disabled (409), by itself or by a principal holding everything', async () => {
      const rootId = await me(root);
      const demote = await app
        .http()
        .patch(`/admin/users/${rootId}`)
        .set('Authorization', root)
        .send({ roles: ['user'] });
      expectStatus(demote, 409);
      expect(messageOf(demote)).toContain('every permission');
      // Nobody else is an admin: a machine client granted everything is the only other actor that may try.
      const everything = await machineClient(app, [...ALL_PERMISSIONS]);
      const robot = `Bearer ${(await clientCredentialsToken(app, everything)).access_token}`;
      expectStatus(await app.http().patch(`/admin/users/${rootId}`).set('Authorization', robot).send({ disabled: true }), 409);
      expectStatus(await app.http().patch(`/admin/users/${rootId}`).set('Authorization', robot).send({ roles: [] }), 409);
      expect(await adminsLeft()).toBe(1);
    });

    it('with a second admin, demoting and disabling work; the role path is guarded too', async () => {
      const second = await createUser(app, root, 'second-admin', ['admin']);
      expectStatus(await app.http().patch(`/admin/users/${second.id}`).set('Authorization', root).send({ disabled: true }), 200);
      expectStatus(
        await app
          .http()
          .patch(`/admin/users/${second.id}`)
          .set('Authorization', root)
          .send({ disabled: false, roles: ['user'] }),
        200,
      );
      expect(await adminsLeft()).toBe(1);

      // Every permission held through a custom role: taking one from it would leave nobody holding all.
      expectStatus(
        await app
          .http()
          .post('/admin/roles')
          .set('Authorization', root)
          .send({ name: 'root', permissions: [...ALL_PERMISSIONS] }),
        201,
      );
      const heir = await createUser(app, root, 'heir', ['root']);
      const rootId = await me(root);
      expectStatus(
        await app
          .http()
          .patch(`/admin/users/${rootId}`)
          .set('Authorization', heir.auth)
          .send({ roles: ['user'] }),
        200,
      );
      const shrink = await app
        .http()
        .patch('/admin/roles/root')
        .set('Authorization', heir.auth)
        .send({ permissions: ALL_PERMISSIONS.filter((permission) => permission !== 'audit:read') });
      expectStatus(shrink, 409);
      // Hand the admin role back, so the next test starts from one admin.
      expectStatus(
        await app
          .http()
          .patch(`/admin/users/${rootId}`)
          .set('Authorization', heir.auth)
          .send({ roles: ['admin'] }),
        200,
      );
      expectStatus(await app.http().patch(`/admin/users/${heir.id}`).set('Authorization', root).send({ roles: [] }), 200);
    });

    it('two admins demoting each other at once never leave zero admins', async () => {
      for (let round = 0; round < 3; round++) {
        const a = await createUser(app, root, `race-a-${round}`, ['admin']);
        const b = await createUser(app, root, `race-b-${round}`, ['admin']);
        const rootId = await me(root);
        // Only a and b are admins now; each demotes the other at the same moment.
        expectStatus(
          await app
            .http()
            .patch(`/admin/users/${rootId}`)
            .set('Authorization', a.auth)
            .send({ roles: ['user'] }),
          200,
        );
        const answers = await Promise.all([
          app
            .http()
            .patch(`/admin/users/${b.id}`)
            .set('Authorization', a.auth)
            .send({ roles: ['user'] }),
          app
            .http()
            .patch(`/admin/users/${a.id}`)
            .set('Authorization', b.auth)
            .send({ roles: ['user'] }),
        ]);
        const statuses = answers.map((res) => res.status).sort();
        expect(statuses.filter((status) => status === 200)).toHaveLength(1);
        expect([403, 409]).toContain(statuses.find((status) => status !== 200));
        expect(await adminsLeft()).toBe(1);
        // The survivor makes root an admin again and steps down, for the next round.
        const survivor = answers[0].status === 200 ? a : b;
        expectStatus(
          await app
            .http()
            .patch(`/admin/users/${rootId}`)
            .set('Authorization', survivor.auth)
            .send({ roles: ['admin'] }),
          200,
        );
        expectStatus(
          await app
            .http()
            .patch(`/admin/users/${survivor.id}`)
            .set('Authorization', root)
            .send({ roles: ['user'] }),
          200,
        );
      }
    });
  });
});
