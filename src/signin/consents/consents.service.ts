import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { RefreshTokenFamily } from '../../auth/tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../../auth/tokens/refresh-token.service.js';
import { Client } from '../../clients/client.entity.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Consent } from './consent.entity.js';
import type { ConsentDto } from './dto/consent.dto.js';

/** Consents per (user, client): what the consent page remembers, and what a user can withdraw. */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectRepository(Consent) private readonly consents: Repository<Consent>,
    private readonly refreshTokens: RefreshTokenService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /** Whether the user already allowed this client every one of `scopes`. */
  async covers(userId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
    const consent = await this.consents.findOne({ where: { userId, clientId } });
    if (!consent) return false;
    const allowed = new Set(consent.scopes);
    return scopes.every((scope) => allowed.has(scope));
  }

  /** Remembers that the user allowed `scopes` (added to what they allowed before). */
  async grant(userId: string, clientId: string, scopes: readonly string[], ip: string): Promise<void> {
    await this.transactions.run(async (m) => {
      const existing = await m.findOne(Consent, { where: { userId, clientId } });
      const merged = [...new Set([...(existing?.scopes ?? []), ...scopes])].sort();
      if (existing) await m.update(Consent, { id: existing.id }, { scopes: merged, grantedAt: new Date() });
      else await m.insert(Consent, { id: randomUUID(), userId, clientId, scopes: merged, grantedAt: new Date() });
      await this.audit.record({ type: 'consent.granted', actorId: userId, userId, clientId, ip, details: { scopes: merged } }, m);
    });
  }

  async list(userId: string): Promise<ConsentDto[]> {
    const rows = await this.consents.find({ where: { userId }, relations: { client: true }, order: { grantedAt: 'DESC' } });
    return rows
      .filter((row) => row.client?.clientId)
      .map((row) => ({ client_id: row.client!.clientId!, client_name: row.client!.name, scopes: row.scopes, granted_at: row.grantedAt.toISOString() }));
  }

  /**
   * Forgets the consent and revokes every refresh-token family the user holds
   * at that client, in one transaction: a withdrawn consent leaves the client
   * nothing to refresh with.
   */
  async withdraw(userId: string, publicClientId: string, ip: string): Promise<void> {
    const client = await this.consents.manager.findOne(Client, { where: { clientId: publicClientId } });
    const consent = client && (await this.consents.findOne({ where: { userId, clientId: client.id } }));
    if (!client || !consent) throw new NotFoundException(`No consent for client ${publicClientId.slice(0, 64)}`);
    const ended = await this.transactions.run(async (m) => {
      await m.delete(Consent, { id: consent.id });
      // The families of (user, client) end, and with them (by sid) every access token they gave.
      const families = await m.find(RefreshTokenFamily, { where: { userId, clientId: client.id, revokedAt: IsNull() }, select: { id: true } });
      const entries = [];
      for (const family of families) entries.push(await this.refreshTokens.endFamily(m, family.id, 'consent_withdrawn'));
      await this.audit.record(
        { type: 'consent.withdrawn', actorId: userId, userId, clientId: client.id, ip, details: { families: families.map((f) => f.id) } },
        m,
      );
      return entries;
    });
    await this.refreshTokens.announce(ended);
  }
}
