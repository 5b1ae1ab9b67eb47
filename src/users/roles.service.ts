import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Page, type PaginationQueryDto } from '../common/dto/pagination.dto.js';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { SEEDED_ROLES } from '../common/permissions.js';
import { isUniqueViolation } from '../database/errors.js';
import { TransactionService } from '../database/transaction.service.js';
import type { CreateRoleDto } from './dto/create-role.dto.js';
import { RoleDto } from './dto/role.dto.js';
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
  ) {}

  async list(query: PaginationQueryDto): Promise<Page<RoleDto>> {
    const [rows, total] = await this.roles.findAndCount({ order: { name: 'ASC' }, take: query.limit, skip: query.offset });
    return Page.of(rows.map(RoleDto.from), total, query);
  }

  async create(dto: CreateRoleDto, actorId: string): Promise<RoleDto> {
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

  async update(name: string, permissions: string[], actorId: string): Promise<RoleDto> {
    if (name === ADMIN_ROLE) throw new ConflictException('The admin role always holds every permission and cannot be changed');
    const role = await this.transactions.run(async (m) => {
      const found = await m.findOne(Role, { where: { name } });
      if (!found) throw new NotFoundException(`Role ${name} not found`);
      const before = found.permissions;
      found.permissions = [...new Set(permissions)];
      found.updatedAt = new Date();
      await m.update(Role, { name }, { permissions: found.permissions, updatedAt: found.updatedAt });
      await this.audit.record({ type: 'role.updated', actorId, details: { role: name, before, after: found.permissions } }, m);
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
