import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AccessEventLog } from '../events/access-event.log.js';
import { Page, type PaginationQueryDto } from '../common/dto/pagination.dto.js';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { SEEDED_ROLES } from '../common/permissions.js';
import { isUniqueViolation } from '../database/errors.js';
import { TransactionService } from '../database/transaction.service.js';
import { GrantPolicy, type Grantor } from '../authorization/grant-policy.js';
import type { CreateRoleDto } from './dto/create-role.dto.js';
import { RoleDto } from './dto/role.dto.js';
import { assertFullHolderRemains, lockPrivilegeChanges } from './last-admin.check.js';
import { Role } from './role.entity.js';

/** `admin` always holds the whole catalogue: it is re-synced at start-up and cannot be edited. */
export const ADMIN_ROLE = 'admin';

@Injectable()
export class RolesService {
  constructor(
    @InjectRepository(Role) private readonly roles: Repository<Role>,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly invalidation: InvalidationBus,
    private readonly events: AccessEventLog,
  ) {}

  async list(query: PaginationQueryDto): Promise<Page<RoleDto>> {
    const [rows, total] = await this.roles.findAndCount({ order: { name: 'ASC' }, take: query.limit, skip: query.offset });
    return Page.of(rows.map(RoleDto.from), total, query);
  }

  /** A role may hold only permissions its creator holds. */
  async create(dto: CreateRoleDto, actorId: string, grantor: Grantor): Promise<RoleDto> {
    GrantPolicy.assertCanGrant(grantor, dto.permissions);
    const now = new Date();
    const role = this.roles.create({ name: dto.name, permissions: [...new Set(dto.permissions)], createdAt: now, updatedAt: now });
    try {
      await this.transactions.run(async (m) => {
        await m.insert(Role, role);
        await this.audit.record({ type: 'role.created', actorId, details: { role: role.name, permissions: role.permissions } }, m);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Role ${dto.name} already exists`);
      throw error;
    }
    return RoleDto.from(role);
  }

  /**
   * Every permission of the role, as it will be and as it was, must be held by
   * the actor (as Kubernetes asks of a Role's editor): whoever holds the role
   * gets all of it, and taking a permission away from everybody holding it is
   * a grant decision too. The change may not leave the server without an
   * enabled holder of every permission.
   */
  async update(name: string, permissions: string[], actorId: string, grantor: Grantor): Promise<RoleDto> {
    if (name === ADMIN_ROLE) throw new ConflictException('The admin role always holds every permission and cannot be changed');
    const role = await this.transactions.run(async (m) => {
      await lockPrivilegeChanges(m);
      const found = await m.findOne(Role, { where: { name } });
      if (!found) throw new NotFoundException(`Role ${name} not found`);
      const before = found.permissions;
      const after = [...new Set(permissions)];
      // The whole role as it will be, and what it loses: whoever holds it gets all of it.
      GrantPolicy.assertCanGrant(grantor, [...after, ...before]);
      found.permissions = after;
      found.updatedAt = new Date();
      await m.update(Role, { name }, { permissions: found.permissions, updatedAt: found.updatedAt });
      await assertFullHolderRemains(m);
      await this.audit.record({ type: 'role.updated', actorId, details: { role: name, before, after: found.permissions } }, m);
      await this.events.append(m, [{ type: 'role.changed', role: name }]);
      return found;
    });
    this.invalidation.publish({ kind: 'role', name });
    return RoleDto.from(role);
  }

  /** The named roles, or a list of the names that do not exist. */
  async findAll(names: readonly string[], manager?: EntityManager): Promise<{ found: Role[]; missing: string[] }> {
    const unique = [...new Set(names)];
    const found = unique.length === 0 ? [] : await (manager ?? this.roles.manager).find(Role, { where: { name: In(unique) } });
    const missing = unique.filter((name) => !found.some((role) => role.name === name));
    return { found, missing };
  }

  /** Creates the seeded roles when missing and keeps `admin` equal to the whole catalogue. */
  async seed(manager: EntityManager): Promise<void> {
    const now = new Date();
    for (const [name, permissions] of Object.entries(SEEDED_ROLES)) {
      const existing = await manager.findOne(Role, { where: { name } });
      if (!existing) {
        await manager.insert(Role, { name, permissions: [...permissions], createdAt: now, updatedAt: now });
      } else if (name === ADMIN_ROLE && existing.permissions.join(' ') !== permissions.join(' ')) {
        await manager.update(Role, { name }, { permissions: [...permissions], updatedAt: now });
      }
    }
  }
}
