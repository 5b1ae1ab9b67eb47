import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { AccessTokenRevocations, type RevocationEntry } from './access-token-revocations.service.js';
import type { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { isLive, RefreshTokenStore, type StoredToken } from './refresh-token.store.js';

export interface RotationContext {
  /** The clients table id of the authenticated client. */
  clientId: string;
  ip: string | null;
  /**
   * Checks the family may still be used (user enabled, not cut off, …); throws
   * an OAuthError to refuse. Runs before anything is written, so a refused
   * token is not consumed.
   */
  assertUsable: (family: RefreshTokenFamily) => Promise<void>;
}

export interface Rotation {
  family: RefreshTokenFamily;
  refreshToken: string;
}

/**
 * Refresh tokens in families (RFC 9700 §4.14.2). Every use rotates: the store
 * claims the presented token with one conditional write and stores its
 * successor with it, so concurrent refreshes of one token cannot both win.
 * Presenting a used token is reuse and revokes its family — except inside
 * REFRESH_TOKEN_GRACE_PERIOD while the successor is unused: the successor is
 * derived from the token (SuccessorKey), so the answer is that same successor,
 * and every retry, tab or instance ends up holding the one live token.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly store: RefreshTokenStore,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly revocations: AccessTokenRevocations,
  ) {}

  /** Starts a family (a login) inside the caller's unit of work; returns the first token. */
  startFamily(m: EntityManager, input: { clientId: string; userId: string; scope: string; id?: string }): Promise<Rotation> {
    return this.store.startFamily(m, input);
  }

  async rotate(presented: string, context: RotationContext): Promise<Rotation> {
    // Read and check first, writing nothing: a refused token is not consumed.
    const token = await this.store.find(presented);
    // A token bound to another client is refused without touching it.
    if (!token || token.family.clientId !== context.clientId) throw invalidGrant('The refresh token is invalid');
    const { family } = token;
    if (family.revokedAt) throw invalidGrant('The refresh token has been revoked');
    const now = Date.now();
    if (family.expiresAt.getTime() <= now || token.expiresAt.getTime() <= now) throw invalidGrant('The refresh token has expired');
    await context.assertUsable(family);

    if (!token.revokedAt && !token.usedAt) {
      const successor = await this.store.claim(token, presented, now);
      if (successor) return { family, refreshToken: successor };
    }
    return this.afterLostClaim(presented, token, context, now);
  }

  /** Revokes the family of `presented` if it belongs to `clientId`; false when there is no such token. */
  async revokeByToken(presented: string, clientId: string, actor: { actorId: string; ip: string | null }): Promise<boolean> {
    const token = await this.store.find(presented);
    // Another client's token: RFC 7009 §2.1 says refuse, and §2.2 answers 200 anyway; say nothing of it.
    if (!token || token.family.clientId !== clientId) return false;
    const { family } = token;
    await this.revokeFamily(family, 'revoked', (m) =>
      this.audit.record(
        {
          type: 'token.revoked',
          actorId: actor.actorId,
          clientId,
          userId: family.userId,
          ip: actor.ip,
          details: { tokenType: 'refresh_token', familyId: family.id },
        },
        m,
      ),
    );
    return true;
  }

  /** The live token's family for introspection: null unless `presented` is usable right now. */
  async findLive(presented: string): Promise<StoredToken | null> {
    const token = await this.store.find(presented);
    return token && isLive(token, Date.now()) ? token : null;
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
   * a moment ago) — a grace retry or reuse — or its family was revoked since
   * it was read, which is neither. Read again: the winner has committed.
   */
  private async afterLostClaim(presented: string, token: StoredToken, context: RotationContext, now: number): Promise<Rotation> {
    // The common loser first, in one read: a retry inside the grace period, whose successor is live.
    // A successor is made when its parent is used, so its creation is the parent's use.
    const successor = await this.store.successorOf(presented);
    const stored = this.config.refreshTokenGracePeriod > 0 ? await this.store.find(successor) : null;
    if (stored?.parentId === token.id && this.withinGrace(stored.createdAt, now) && isLive(stored, now))
      return { family: stored.family, refreshToken: successor };
    const current = await this.store.find(presented);
    if (!current) throw invalidGrant('The refresh token is invalid');
    const { family } = current;
    if (family.revokedAt) throw invalidGrant('The refresh token has been revoked');
    const revoked = await this.revokeFamily(family, 'reuse', (m) =>
      this.audit.record(
        {
          type: 'token.refresh_reuse',
          actorId: null,
          clientId: family.clientId,
          userId: family.userId,
          ip: context.ip,
          details: { familyId: family.id, tokenId: token.id },
        },
        m,
      ),
    );
    if (revoked) this.metrics.refreshReuse.inc();
    throw invalidGrant('The refresh token was already used; its whole family is now revoked');
  }

  /**
   * Revokes `family` and, with it, every access token issued from it (their
   * `sid`), in one unit of work with `record`; false if it already was.
   */
  private async revokeFamily(family: RefreshTokenFamily, reason: string, record: (m: EntityManager) => Promise<void>): Promise<boolean> {
    const revoked = await this.transactions.run(async (m) => {
      const entry = await this.endFamily(m, family.id, reason);
      if (entry) await record(m);
      return entry;
    });
    await this.announce([revoked]);
    return revoked !== null;
  }

  /**
   * In the caller's unit of work: ends family `familyId` and every access token issued from it
   * (their `sid`); null if it had ended already. Hand the results to `announce` once committed
   * (a code replay, a consent withdrawn, a session ended).
   */
  async endFamily(m: EntityManager, familyId: string, reason: string): Promise<RevocationEntry | null> {
    if (!(await this.store.revokeFamily(m, familyId, reason))) return null;
    return this.revocations.revokeSession(m, familyId);
  }

  /** After the commit: every instance (and every service on the event stream) refuses those access tokens at once. */
  async announce(ended: readonly (RevocationEntry | null)[]): Promise<void> {
    for (const entry of ended) if (entry) await this.revocations.announce(entry);
  }

  private withinGrace(usedAt: Date, now: number): boolean {
    const grace = this.config.refreshTokenGracePeriod * 1000;
    return grace > 0 && now - usedAt.getTime() <= grace;
  }
}

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
