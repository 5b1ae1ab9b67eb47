import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { RefreshTokenFamily } from '../auth/tokens/refresh-token-family.entity.js';
import { cutoffSecond, waitOutCutoffSecond, withinCutoffSecond } from '../auth/tokens/token-cutoff.js';
import { AccessEventLog } from '../events/access-event.log.js';
import { Page } from '../common/dto/pagination.dto.js';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { TransactionService } from '../database/transaction.service.js';
import { GrantPolicy } from '../authorization/grant-policy.js';
import { Client } from './client.entity.js';
import { generateClientId } from './client-secret.js';
import { type ClientAction, illegalTransition, transitionFor } from './client-status.machine.js';
import { type Actor, notFound } from './clients.service.js';
import type { ApproveClientDto } from './dto/approve-client.dto.js';
import { grantTypesProblem } from './dto/client-fields.js';
import { ClientDto } from './dto/client.dto.js';
import type { ListClientsQueryDto } from './dto/list-clients-query.dto.js';

/** What one decision changes besides the status, and what the audit event says about it. */
interface Decision {
  changes: Partial<Client>;
  reason: string | null;
  details?: Record<string, unknown>;
  /** Further writes of the same unit of work (runs after the status has moved). */
  alsoIn?: (m: EntityManager, now: Date) => Promise<Record<string, unknown>>;
}

/**
 * The reviewer's side of the workflow. Every decision is one transaction:
 * the status moves by a conditional update (so two reviewers racing cannot
 * both win), its side effects and the audit event land with it, and the auth
 * caches hear of it only after the commit.
 */
@Injectable()
export class ClientReviewService {
  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly invalidation: InvalidationBus,
    private readonly events: AccessEventLog,
  ) {}

  /** The queue: pending first-come first-served, or any state; oldest first. */
  async list(query: ListClientsQueryDto): Promise<Page<ClientDto>> {
    const [rows, total] = await this.clients.findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return Page.of(rows.map(ClientDto.from), total, query);
  }

  /**
   * Grants what was requested, narrowed as the reviewer says, and never more
   * than the reviewer holds: approving one's own registration gives nothing new.
   */
  approve(id: string, dto: ApproveClientDto, actor: Actor): Promise<ClientDto> {
    return this.decide(id, 'approve', actor, (client) => {
      const grantTypes = narrowed('grant_types', dto.grant_types, client.requestedGrantTypes);
      const problem = grantTypesProblem(grantTypes);
      if (problem) throw new BadRequestException(problem);
      const scopes = grantedScopes(dto.scopes, client.requestedScopes, actor);
      const trusted = dto.trusted ?? false;
      return {
        changes: { clientId: generateClientId(), grantTypes, scopes, trusted, reviewNote: dto.note ?? null },
        reason: dto.note ?? null,
        details: { grant_types: grantTypes, scopes, trusted },
      };
    });
  }

  reject(id: string, reason: string, actor: Actor): Promise<ClientDto> {
    return this.decide(id, 'reject', actor, () => ({ changes: { reviewNote: reason }, reason }));
  }

  /**
   * Cuts the client off: access tokens issued until now fail the guard's
   * tokens_not_before check, and every refresh-token family is revoked, so
   * nothing issued before the suspension works again after a reinstatement.
   */
  suspend(id: string, reason: string, actor: Actor): Promise<ClientDto> {
    return this.decide(id, 'suspend', actor, (_client, now) => ({
      changes: { reviewNote: reason, tokensNotBefore: now },
      reason,
      alsoIn: async (m, now) => {
        const revoked = await m
          .createQueryBuilder()
          .update(RefreshTokenFamily)
          .set({ revokedAt: now, revokedReason: 'client_suspended' })
          .where('client_id = :id AND revoked_at IS NULL', { id })
          .execute();
        return { refresh_families_revoked: revoked.affected ?? 0 };
      },
    }));
  }

  async reinstate(id: string, note: string | undefined, actor: Actor): Promise<ClientDto> {
    const current = await this.clients.findOne({ where: { id } });
    // Outside the transaction: on SQLite a transaction holds the only writer.
    if (current?.status === 'suspended') await waitOutCutoffSecond(current.tokensNotBefore);
    return this.decide(id, 'reinstate', actor, (client, now) => {
      if (withinCutoffSecond(client.tokensNotBefore, now)) {
        throw new ConflictException('The client was suspended again a moment ago; retry the reinstatement');
      }
      return { changes: { reviewNote: note ?? null }, reason: note ?? null };
    });
  }

  private async decide(id: string, action: ClientAction, actor: Actor, decision: (client: Client, now: Date) => Decision): Promise<ClientDto> {
    const client = await this.transactions.run(async (m) => {
      const found = await m.findOne(Client, { where: { id } });
      if (!found) throw notFound(id);
      const { from, to, event } = transitionFor(action, found.status);
      const now = new Date();
      const { changes, reason, details, alsoIn } = decision(found, now);
      const moved = await m
        .createQueryBuilder()
        .update(Client)
        .set({ ...changes, status: to, updatedAt: now })
        .where('id = :id AND status = :from', { id, from })
        .execute();
      if (moved.affected !== 1) {
        const latest = await m.findOneOrFail(Client, { where: { id } });
        throw illegalTransition(action, latest.status);
      }
      const effects = alsoIn ? await alsoIn(m, now) : {};
      await this.audit.record(
        { type: event, actorId: actor.id, clientId: id, userId: found.ownerId, ip: actor.ip, reason, details: { from, to, ...details, ...effects } },
        m,
      );
      // Resource servers in other processes refuse the client's tokens issued up to now.
      if (to === 'suspended' && found.clientId) {
        await this.events.append(m, [{ type: 'client.suspended', client_id: found.clientId, not_before: cutoffSecond(now) }]);
      }
      return m.findOneOrFail(Client, { where: { id } });
    });
    this.invalidation.publish({ kind: 'client', id });
    return ClientDto.from(client);
  }
}

/**
 * The scopes granted: without a list, every requested scope the reviewer may
 * grant (the intersection, never more); with one, a subset of the request that
 * the reviewer holds in full (403 naming what it does not).
 */
function grantedScopes(granted: string[] | undefined, requested: readonly string[], reviewer: Actor): string[] {
  if (granted === undefined) return GrantPolicy.grantable(reviewer, requested);
  const scopes = narrowed('scopes', granted, requested);
  GrantPolicy.assertCanGrant(reviewer, scopes);
  return scopes;
}

/** The granted list: as requested when omitted, otherwise a subset of what was requested. */
function narrowed(field: 'grant_types' | 'scopes', granted: string[] | undefined, requested: readonly string[]): string[] {
  if (granted === undefined) return [...requested];
  const extra = granted.filter((value) => !requested.includes(value));
  if (extra.length) {
    throw new BadRequestException(`${field} may only narrow what was requested (${requested.join(', ') || 'nothing'}); not requested: ${extra.join(', ')}`);
  }
  return [...granted];
}
