import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidationBus } from '../src/common/invalidation/invalidation.bus.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { Role } from '../src/users/role.entity.js';
import { User } from '../src/users/user.entity.js';
import { startApp, type TestApp } from './support/app.js';
import { createUser } from './support/fixtures.js';
import { expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

class RolledBack extends Error {}

/**
 * Issue 13: no request reads another unit of work's uncommitted writes, and no
 * cache is filled from such a read. A unit of work is held open with a change
 * in it while other requests run, then rolled back.
 */
describe('only committed state is ever served', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const me = (accessToken: string) => t.http().get('/me').set('Authorization', `Bearer ${accessToken}`);

  /**
   * Makes `change` in a unit of work, runs `during` while it is open, then rolls
   * it back. A request that needs the writer (a login stores its refresh token)
   * waits behind the open unit on SQLite: `during` gets a second to reach the
   * reads under test before the unit ends.
   */
  async function whileUncommitted<T>(change: (m: EntityManager) => Promise<unknown>, during: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let changed!: () => void;
    const open = new Promise<void>((resolve) => (changed = resolve));
    const unit = t.app
      .get(TransactionService)
      .run(async (m) => {
        await change(m);
        changed();
        await held;
        throw new RolledBack();
      })
      .then(
        () => expect.fail('the unit of work committed'),
        (error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        },
      );
    await open;
    const result = during();
    await Promise.race([result.catch(() => undefined), sleep(1000)]);
    release();
    await unit;
    return result;
  }

  it('a user disabled in a unit of work that rolls back is never refused, during or after it', async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user);
    // A cold cache, as after any change: the next guarded request reads the user afresh.
    t.app.get(InvalidationBus).publish({ kind: 'user', id: user.id });

    const [guarded, login] = await whileUncommitted(
      (m) => m.update(User, { id: user.id }, { disabled: true, tokensNotBefore: new Date() }),
      () => Promise.all([Promise.all([me(access_token), me(access_token), me(access_token)]), passwordLogin(t, user)]),
    );
    for (const res of guarded) expectStatus(res, 200);
    expect(login.access_token).toEqual(expect.any(String));

    // Nothing of the rolled-back change was cached: the next requests are served as before.
    expectStatus(await me(access_token), 200);
    expectStatus(await me(login.access_token), 200);
  });

  it('a permission added to a role in a unit of work that rolls back is neither granted to a login nor shown to a guarded request', async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user);
    t.app.get(InvalidationBus).publish({ kind: 'role', name: 'user' });
    const role = await t.app.get(TransactionService).run((m) => m.findOneByOrFail(Role, { name: 'user' }));
    expect(role.permissions).not.toContain('reports:read');

    const [guarded, login] = await whileUncommitted(
      (m) => m.update(Role, { name: 'user' }, { permissions: [...role.permissions, 'reports:read'] }),
      () => Promise.all([me(access_token), tokenRequest(t, { grant_type: 'password', username: user.username, password: user.password })]),
    );
    expectStatus(guarded, 200);
    expect(guarded.body.permissions).not.toContain('reports:read');
    expectStatus(login, 200);
    expect(login.body.scope.split(' ')).not.toContain('reports:read');

    const after = await me(access_token);
    expectStatus(after, 200);
    expect(after.body.permissions).toEqual(expect.arrayContaining(['notes:read', 'notes:write']));
    expect(after.body.permissions).not.toContain('reports:read');
  });
});
