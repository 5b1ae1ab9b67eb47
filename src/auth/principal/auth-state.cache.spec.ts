import type { Repository } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../clients/client.entity.js';
import { InvalidationBus } from '../../common/invalidation/invalidation.bus.js';
import type { User } from '../../users/user.entity.js';
import { AuthStateCache } from './auth-state.cache.js';

/** A users table of one row, counting reads, whose next read can be held open. */
function usersTable() {
  const row = { id: 'u1', username: 'ann', disabled: false, tokensNotBefore: null, roles: [{ name: 'user', permissions: ['notes:read'] }] };
  let reads = 0;
  let hold: Promise<void> | null = null;
  const query = {
    leftJoinAndSelect: () => query,
    where: () => query,
    getOne: async () => {
      reads++;
      const snapshot = { ...row, roles: row.roles.map((role) => ({ ...role })) };
      if (hold) await hold;
      return snapshot as unknown as User;
    },
  };
  return {
    repo: { createQueryBuilder: () => query } as unknown as Repository<User>,
    row,
    reads: () => reads,
    holdNextRead(): () => void {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

const clients = {
  createQueryBuilder: () => ({ where: () => ({ getMany: () => Promise.resolve([]) }) }),
  findOne: () => Promise.resolve(null),
} as unknown as Repository<Client>;

describe('AuthStateCache', () => {
  let cache: AuthStateCache | undefined;
  afterEach(() => cache?.onModuleDestroy());

  async function start() {
    const users = usersTable();
    const bus = new InvalidationBus();
    cache = new AuthStateCache(users.repo, clients, bus);
    await cache.onModuleInit();
    return { cache, users, bus };
  }

  it('reads a user once, then serves it from memory', async () => {
    const { cache, users } = await start();
    expect((await cache.user('u1'))?.held).toEqual(new Set(['notes:read']));
    await cache.user('u1');
    expect(users.reads()).toBe(1);
  });

  it('forgets a user on its event, and every user on a role event', async () => {
    const { cache, users, bus } = await start();
    await cache.user('u1');
    users.row.disabled = true;
    bus.publish({ kind: 'user', id: 'u1' });
    expect((await cache.user('u1'))?.disabled).toBe(true);
    users.row.roles[0].permissions.push('reports:read');
    bus.publish({ kind: 'role', name: 'user' });
    expect((await cache.user('u1'))?.held.has('reports:read')).toBe(true);
    expect(users.reads()).toBe(3);
  });

  it('does not keep a read that an invalidation overtook: the change it missed is read next time', async () => {
    const { cache, users, bus } = await start();
    const release = users.holdNextRead();
    const stale = cache.user('u1');
    users.row.disabled = true;
    bus.publish({ kind: 'user', id: 'u1' });
    release();
    expect((await stale)?.disabled).toBe(false);
    expect((await cache.user('u1'))?.disabled).toBe(true);
  });

  it('trusts no memory while the bus is unhealthy, and caches again once it is back', async () => {
    const { cache, users, bus } = await start();
    await cache.user('u1');
    bus.setHealthy(false);
    expect(cache.cachedUser('u1')).toBeUndefined();
    await cache.user('u1');
    await cache.user('u1');
    expect(users.reads()).toBe(3);
    bus.setHealthy(true);
    await cache.user('u1');
    await cache.user('u1');
    expect(users.reads()).toBe(4);
  });
});
