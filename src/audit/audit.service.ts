import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { Page } from '../common/dto/pagination.dto.js';
import { deleteInBatches } from '../database/batch-delete.js';
import { TransactionService } from '../database/transaction.service.js';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { AuditEventDto } from './dto/audit-event.dto.js';

export interface AuditRecord {
  type: string;
  actorId?: string | null;
  clientId?: string | null;
  userId?: string | null;
  ip?: string | null;
  reason?: string | null;
  /** Facts about the event; never a password, secret or token. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly transactions: TransactionService,
  ) {}

  /**
   * Appends an event. Pass the manager of the transaction that makes the change
   * being recorded, so the change and its record land together or not at all.
   */
  async record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    const row = {
      type: record.type,
      actorId: record.actorId ?? null,
      clientId: record.clientId ?? null,
      userId: record.userId ?? null,
      ip: record.ip ?? null,
      reason: record.reason ?? null,
      details: record.details ?? {},
      createdAt: new Date(),
    };
    if (manager) {
      await manager.save(AuditEvent, manager.create(AuditEvent, row));
    } else {
      await this.transactions.run((m) => m.save(AuditEvent, m.create(AuditEvent, row)));
    }
  }

  async list(query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    const qb = this.events.createQueryBuilder('e');
    if (query.type) qb.andWhere('e.type = :type', { type: query.type });
    if (query.user) qb.andWhere('e.user_id = :user', { user: query.user });
    if (query.client) qb.andWhere('e.client_id = :client', { client: query.client });
    if (query.actor) qb.andWhere('e.actor_id = :actor', { actor: query.actor });
    if (query.from) qb.andWhere('e.created_at >= :from', { from: query.from.getTime() });
    if (query.to) qb.andWhere('e.created_at < :to', { to: query.to.getTime() });
    const [rows, total] = await qb.orderBy('e.id', 'DESC').take(query.limit).skip(query.offset).getManyAndCount();
    return Page.of(rows.map(AuditEventDto.from), total, query);
  }

  /** Removes events older than the retention period; returns how many went. */
  prune(olderThan: Date): Promise<number> {
    return deleteInBatches(this.transactions, 'audit_events', 'id', 'created_at < :cutoff', { cutoff: olderThan.getTime() });
  }
}
