import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AccessEventLog } from '../events/access-event.log.js';
import { Page, type PaginationQueryDto } from '../common/dto/pagination.dto.js';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { cutoffSecond, waitOutCutoffSecond, withinCutoffSecond } from '../auth/tokens/token-cutoff.js';
import { isUniqueViolation } from '../database/errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { GrantPolicy, type Grantor } from '../authorization/grant-policy.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { assertFullHolderRemains, lockPrivilegeChanges } from './last-admin.check.js';
import { PasswordService } from './password.service.js';
import { Role } from './role.entity.js';
import { RolesService } from './roles.service.js';
import { User } from './user.entity.js';

export const normalizeUsername = (username: string) => username.toLowerCase();

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly roles: RolesService,
    private readonly passwords: PasswordService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly invalidation: InvalidationBus,
    private readonly events: AccessEventLog,
  ) {}

  async create(dto: CreateUserDto, actorId: string | null, grantor: Grantor): Promise<UserDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    try {
      const user = await this.transactions.run((m) => this.insert(m, dto.username, passwordHash, dto.roles, actorId, grantor));
      return UserDto.from(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Username ${dto.username} is taken`);
      throw error;
    }
  }

  /** Inserts a user inside the caller's transaction (also used by bootstrap seeding); `grantor` must hold every permission of its roles. */
  async insert(m: EntityManager, username: string, passwordHash: string, roleNames: string[], actorId: string | null, grantor: Grantor): Promise<User> {
    const taken = await m.exists(User, { where: { usernameNormalized: normalizeUsername(username) } });
    if (taken) throw new ConflictException(`Username ${username} is taken`);
    const { found, missing } = await this.roles.findAll(roleNames, m);
    if (missing.length) throw new BadRequestException(`Unknown role: ${missing.join(', ')}`);
    GrantPolicy.assertCanGrant(grantor, permissionsOf(found));
    const now = new Date();
    const user = m.create(User, {
      id: randomUUID(),
      username,
      usernameNormalized: normalizeUsername(username),
      passwordHash,
      disabled: false,
      tokensNotBefore: null,
      roles: found,
      createdAt: now,
      updatedAt: now,
    });
    await m.save(User, user);
    await this.audit.record({ type: 'user.created', actorId, userId: user.id, details: { username, roles: roleNames } }, m);
    return user;
  }

  async list(query: PaginationQueryDto): Promise<Page<UserDto>> {
    const [rows, total] = await this.users.findAndCount({
      relations: { roles: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return Page.of(rows.map(UserDto.from), total, query);
  }

  /**
   * Giving or taking a role needs every permission of that role (so nobody
   * gains anything by changing their own roles), and no change may leave the
   * server without an enabled user holding every permission.
   */
  async update(id: string, dto: UpdateUserDto, actorId: string, grantor: Grantor): Promise<UserDto> {
    if (id === actorId && dto.disabled === true) throw new ConflictException('You cannot disable your own account');
    if (dto.disabled === false) {
      // Outside the transaction: on SQLite a transaction holds the only writer.
      const current = await this.users.findOne({ where: { id } });
      if (current?.disabled) await waitOutCutoffSecond(current.tokensNotBefore);
    }
    const user = await this.transactions.run(async (m) => {
      await lockPrivilegeChanges(m);
      const found = await m.findOne(User, { where: { id }, relations: { roles: true } });
      if (!found) throw new NotFoundException(`User ${id} not found`);
      if (dto.disabled === false && found.disabled && withinCutoffSecond(found.tokensNotBefore, new Date())) {
        throw new ConflictException('The user was disabled again a moment ago; retry');
      }
      const changes: Record<string, unknown> = {};
      if (dto.roles) {
        const { found: roles, missing } = await this.roles.findAll(dto.roles, m);
        if (missing.length) throw new BadRequestException(`Unknown role: ${missing.join(', ')}`);
        const changed = [...roles.filter((role) => !hasRole(found.roles, role)), ...found.roles.filter((role) => !hasRole(roles, role))];
        GrantPolicy.assertCanGrant(grantor, permissionsOf(changed));
        changes.roles = { before: found.roles.map((r) => r.name).sort(), after: roles.map((r) => r.name).sort() };
        found.roles = roles;
      }
      if (dto.disabled !== undefined && dto.disabled !== found.disabled) {
        // Disabling takes every role's power away, enabling gives it back: the same rule as the roles themselves.
        GrantPolicy.assertCanGrant(grantor, permissionsOf(found.roles));
        changes.disabled = { before: found.disabled, after: dto.disabled };
        found.disabled = dto.disabled;
        // Everything issued before the disable stays dead, even if the user is enabled again.
        if (dto.disabled) found.tokensNotBefore = new Date();
      }
      found.updatedAt = new Date();
      await m.save(User, found);
      if (changes.roles || changes.disabled) await assertFullHolderRemains(m);
      await this.audit.record({ type: 'user.updated', actorId, userId: id, details: changes }, m);
      await this.events.append(m, [
        ...(changes.roles ? [{ type: 'user.roles_changed' as const, sub: id }] : []),
        ...(dto.disabled === true && changes.disabled
          ? [{ type: 'user.disabled' as const, sub: id, not_before: cutoffSecond(found.tokensNotBefore ?? new Date()) }]
          : []),
      ]);
      return found;
    });
    this.invalidation.publish({ kind: 'user', id });
    return UserDto.from(user);
  }

  /**
   * Replaces a user's password (the admin CLI's reset-password). Every token
   * issued before stops working, as after a disable: a reset often follows a
   * leak. Waits out the cut-off's second so a login right after is not cut off.
   */
  async resetPassword(username: string, password: string, actorId: string | null): Promise<UserDto> {
    const passwordHash = await this.passwords.hash(password);
    const user = await this.transactions.run(async (m) => {
      const found = await m.findOne(User, { where: { usernameNormalized: normalizeUsername(username) }, relations: { roles: true } });
      if (!found) throw new NotFoundException(`User ${username} not found`);
      const now = new Date();
      await m.update(User, { id: found.id }, { passwordHash, tokensNotBefore: now, updatedAt: now });
      await this.audit.record({ type: 'user.password_reset', actorId, userId: found.id, details: { username: found.username } }, m);
      // Every token issued before the reset is dead: the same cut-off as a disable.
      await this.events.append(m, [{ type: 'user.disabled', sub: found.id, not_before: cutoffSecond(now) }]);
      return Object.assign(found, { tokensNotBefore: now, updatedAt: now });
    });
    this.invalidation.publish({ kind: 'user', id: user.id });
    await waitOutCutoffSecond(user.tokensNotBefore);
    return UserDto.from(user);
  }

  /** For the password grant: the user with hash and roles, or null. Internal only. */
  findByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { usernameNormalized: normalizeUsername(username) }, relations: { roles: true } });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id }, relations: { roles: true } });
  }

  count(): Promise<number> {
    return this.users.count();
  }
}

const hasRole = (roles: readonly Role[], role: Role) => roles.some((held) => held.name === role.name);

const permissionsOf = (roles: readonly Role[]) => roles.flatMap((role) => role.permissions);
