import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RotationQueries } from './refresh-token.queries.js';

export const hashRefreshToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** 256 bits from the CSPRNG, base64url: unguessable, and only its hash is stored. */
const newTokenValue = () => randomBytes(32).toString('base64url');

/** Attempts at replacing a successor that concurrent grace retries keep replacing. */
const MAX_GRACE_ATTEMPTS = 25;

export interface RotationContext {
  /** The clients table id of the authenticated client. */
  clientId: string;
  ip: string | null;
  /**
   * Checks the family may still be used (user enabled, not cut off, …); throws
   * an OAuthError to refuse. Runs inside the rotation's transaction, before
   * anything is written, so a refused token is not consumed.
   */
  assertUsable: (family: RefreshTokenFamily) => Promise<void>;
}

export interface Rotation {
  family: RefreshTokenFamily;
  refreshToken: string;
}

/** After a lost claim: the grace period's new successor, or why the token is refused. */
type Outcome = { rotation: Rotation } | { refused: string };

/**
 * Refresh tokens in families. Every use rotates: one conditional update marks
 * the presented token used (`… WHERE id = ? AND used_at IS NULL`) and the
 * successor is inserted in the same transaction, so concurrent refreshes of
 * one token cannot both win. Presenting a used token is reuse and revokes the
 * whole family — except inside REFRESH_TOKEN_GRACE_PERIOD, where the token
 * just rotated may be presented again (its response was lost): its unused
 * successor is then revoked and replaced, so exactly one successor is live.
 */
@Injectable()
export class RefreshTokenService {
  private readonly queries: RotationQueries;

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {
    this.queries = new RotationQueries(dataSource, transactions);
  }

  /** Starts a family (a login) inside the caller's transaction; returns the first token. */
  async startFamily(m: EntityManager, input: { clientId: string; userId: string; scope: string }): Promise<Rotation> {
    const now = Date.now();
    const family = m.create(RefreshTokenFamily, {
      id: randomUUID(),
      clientId: input.clientId,
      userId: input.userId,
      scope: input.scope,
      createdAt: new Date(now),
      expiresAt: new Date(now + this.config.refreshTokenTtl * 1000),
      revokedAt: null,
      revokedReason: null,
    });
    await m.insert(RefreshTokenFamily, family);
    return { family, refreshToken: await this.insertToken(m, family, null, now) };
  }

  async rotate(presented: string, context: RotationContext): Promise<Rotation> {
    // Read and check first, writing nothing: a refused token is not consumed.
    const token = await this.queries.find(hashRefreshToken(presented));
    // A token bound to another client is refused without touching it.
    if (!token || token.family.clientId !== context.clientId) throw invalidGrant('The refresh token is invalid');
    const { family } = token;
    if (family.revokedAt) throw invalidGrant('The refresh token has been revoked');
    const now = Date.now();
    if (family.expiresAt.getTime() <= now || token.expiresAt.getTime() <= now) throw invalidGrant('The refresh token has expired');
    await context.assertUsable(family);

    // The common case: claim the token and insert its successor, atomically and only if
    // nobody claimed it (nor revoked the family) since it was read.
    if (!token.revokedAt && !token.usedAt) {
      const successor = this.successor(family, token.id, now);
      if (await this.queries.claimAndInsert(token.id, successor.row, now)) {
        return { family, refreshToken: successor.value };
      }
    }
    // Returned, not thrown, so that the transaction commits what reuse revoked and recorded.
    const outcome = await this.transactions.run((m) => this.afterLostClaim(m, token, family, context, now));
    if ('refused' in outcome) throw invalidGrant(outcome.refused);
    return outcome.rotation;
  }

  /** Revokes the family of `presented` if it belongs to `clientId`; false when there is no such token. */
  async revokeByToken(presented: string, clientId: string, actor: { actorId: string; ip: string | null }): Promise<boolean> {
    const token = await this.queries.find(hashRefreshToken(presented));
    // Another client's token: RFC 7009 §2.1 says refuse, and §2.2 answers 200 anyway; say nothing of it.
    if (!token || token.family.clientId !== clientId) return false;
    const { family } = token;
    await this.transactions.run(async (m) => {
      if (await this.revokeFamily(m, family.id, 'revoked')) {
        await this.audit.record(
          {
            type: 'token.revoked',
            actorId: actor.actorId,
            clientId,
            userId: family.userId,
            ip: actor.ip,
            details: { tokenType: 'refresh_token', familyId: family.id },
          },
          m,
        );
      }
    });
    return true;
  }

  /** The live token's family for introspection: null unless `presented` is usable right now. */
  async findLive(presented: string): Promise<{ token: RefreshToken; family: RefreshTokenFamily } | null> {
    const token = await this.queries.find(hashRefreshToken(presented));
    if (!token) return null;
    const now = Date.now();
    const live = !token.usedAt && !token.revokedAt && !token.family.revokedAt && token.expiresAt.getTime() > now && token.family.expiresAt.getTime() > now;
    return live ? { token, family: token.family } : null;
  }

  /** Marks a family revoked; false if it already was. */
  async revokeFamily(m: EntityManager, familyId: string, reason: string): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .update(RefreshTokenFamily)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where('id = :familyId AND revoked_at IS NULL', { familyId })
      .execute();
    return result.affected === 1;
  }

  /**
   * Prunes families that ended (expired or revoked) before `before`, and
   * tokens whose idle lifetime ended before it. A used token is kept until
   * then on purpose: presenting it is how reuse is detected, and past its
   * idle lifetime it would be refused anyway.
   */
  async pruneEnded(before: Date): Promise<number> {
    const cutoff = before.getTime();
    const tokens = await deleteInBatches(this.transactions, 'refresh_tokens', 'id', 'expires_at < :cutoff', { cutoff });
    const families = await deleteInBatches(this.transactions, 'refresh_token_families', 'id', 'expires_at < :cutoff OR revoked_at < :cutoff', { cutoff });
    return tokens + families;
  }

  /**
   * The claim was lost: the token was used before (or by a concurrent request
   * a moment ago), a grace retry or reuse; or its family was revoked since it
   * was read, which is neither.
   */
  private async afterLostClaim(m: EntityManager, token: RefreshToken, family: RefreshTokenFamily, context: RotationContext, now: number): Promise<Outcome> {
    const current = await this.queries.find(token.tokenHash);
    if (!current) return { refused: 'The refresh token is invalid' };
    if (current.family.revokedAt) return { refused: 'The refresh token has been revoked' };
    if (current.usedAt && this.withinGrace(current.usedAt, now)) {
      const replaced = await this.replaceSuccessor(m, family, current.id, now);
      if (replaced) return { rotation: { family, refreshToken: replaced } };
    }
    await this.revokeFamily(m, family.id, 'reuse');
    this.metrics.refreshReuse.inc();
    await this.audit.record(
      {
        type: 'token.refresh_reuse',
        actorId: null,
        clientId: family.clientId,
        userId: family.userId,
        ip: context.ip,
        details: { familyId: family.id, tokenId: token.id },
      },
      m,
    );
    return { refused: 'The refresh token was already used; its whole family is now revoked' };
  }

  private withinGrace(usedAt: Date, now: number): boolean {
    const grace = this.config.refreshTokenGracePeriod * 1000;
    return grace > 0 && now - usedAt.getTime() <= grace;
  }

  /**
   * Revokes the still-unused successor of `parentId` and inserts a new one.
   * Returns null when the successor has been used (the client moved on, so
   * this is reuse). Each attempt is a conditional update; a concurrent retry
   * that replaced the successor first just makes this one try the newer one.
   */
  private async replaceSuccessor(m: EntityManager, family: RefreshTokenFamily, parentId: string, now: number): Promise<string | null> {
    for (let attempt = 0; attempt < MAX_GRACE_ATTEMPTS; attempt++) {
      // By family first: a family's tokens are few, and every insert skips a parent index.
      const successor = await m.findOne(RefreshToken, { where: { familyId: family.id, parentId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
      if (!successor || successor.usedAt) return null;
      const superseded = await m
        .createQueryBuilder()
        .update(RefreshToken)
        .set({ revokedAt: new Date(now) })
        .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id: successor.id })
        .execute();
      if (superseded.affected === 1) return this.insertToken(m, family, parentId, now);
    }
    return null;
  }

  private async insertToken(m: EntityManager, family: RefreshTokenFamily, parentId: string | null, now: number): Promise<string> {
    const { row, value } = this.successor(family, parentId, now);
    await this.queries.insert(m, row);
    return value;
  }

  /** A new token for `family`: its value (returned once) and the row that stores its hash. */
  private successor(family: RefreshTokenFamily, parentId: string | null, now: number) {
    const value = newTokenValue();
    const row = {
      id: randomUUID(),
      tokenHash: hashRefreshToken(value),
      familyId: family.id,
      parentId,
      createdAt: now,
      expiresAt: Math.min(now + this.config.refreshTokenIdleTtl * 1000, family.expiresAt.getTime()),
    };
    return { value, row };
  }
}

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
