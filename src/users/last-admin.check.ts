import { ConflictException } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { ALL_PERMISSIONS } from '../common/permissions.js';
import { Role } from './role.entity.js';
import { User } from './user.entity.js';

/** Any fixed 64-bit key, the same in every instance (the start-up lock uses another). */
const PRIVILEGE_CHANGE_LOCK_KEY = 4_707_320_190_232;

/**
 * Makes changes to who holds what take turns, so the check below sees every
 * change committed before it. Without it two admins demoting each other at
 * once on PostgreSQL would each still see the other as admin, and both would
 * commit. The lock ends with the transaction. SQLite needs none: there every
 * transaction runs alone (TransactionService).
 */
export async function lockPrivilegeChanges(m: EntityManager): Promise<void> {
  if (m.dataSource.options.type === 'postgres') await m.query('SELECT pg_advisory_xact_lock($1)', [PRIVILEGE_CHANGE_LOCK_KEY]);
}

/**
 * No change may leave the server with nobody who can administer all of it:
 * run inside the change's transaction, after its writes, with the lock taken
 * first; a 409 rolls the change back.
 */
export async function assertFullHolderRemains(m: EntityManager): Promise<void> {
  if (await anyEnabledFullHolder(m)) return;
  throw new ConflictException('This change would leave no enabled user holding every permission (the last admin); make another user an admin first');
}

async function anyEnabledFullHolder(m: EntityManager): Promise<boolean> {
  const roles = await m.find(Role);
  const full = roles.filter((role) => ALL_PERMISSIONS.every((permission) => role.permissions.includes(permission))).map((role) => role.name);
  if (full.length && (await enabledHoldersOf(m, full).getExists())) return true;
  // Every permission can also come from several roles together. A full holder then has a role
  // granting the permission the fewest roles grant; only those users need a closer look.
  const rarest = ALL_PERMISSIONS.map((permission) => roles.filter((role) => role.permissions.includes(permission)).map((role) => role.name)).sort(
    (a, b) => a.length - b.length,
  )[0];
  if (rarest.length === 0) return false;
  const candidates = await enabledHoldersOf(m, rarest).select('user.id').getMany();
  if (candidates.length === 0) return false;
  const users = await m.find(User, { where: { id: In(candidates.map((user) => user.id)) }, relations: { roles: true } });
  return users.some((user) => {
    const held = new Set(user.roles.flatMap((role) => role.permissions));
    return ALL_PERMISSIONS.every((permission) => held.has(permission));
  });
}

const enabledHoldersOf = (m: EntityManager, roleNames: string[]) =>
  m
    .createQueryBuilder(User, 'user')
    .innerJoin('user.roles', 'role')
    .where('user.disabled = :disabled', { disabled: false })
    .andWhere('role.name IN (:...roleNames)', { roleNames });
