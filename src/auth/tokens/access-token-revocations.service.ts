import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InvalidationBus } from '../../common/invalidation/invalidation.bus.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { RevokedAccessToken } from './revoked-access-token.entity.js';

/** Re-read from the database now and then: the table is the record, memory the fast path. */
const RESYNC_INTERVAL_MS = 30_000;

/**
 * The access-token revocation list. The database holds every revoked `jti`
 * until its token would have expired; each instance keeps the unexpired ones
 * in memory (a handful, since access tokens are short-lived), so the guard
 * checks revocation on every request without a query.
 */
@Injectable()
export class AccessTokenRevocations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AccessTokenRevocations.name);
  /** jti → exp (epoch seconds) */
  private revoked = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    @InjectRepository(RevokedAccessToken) private readonly rows: Repository<RevokedAccessToken>,
    private readonly transactions: TransactionService,
    private readonly invalidation: InvalidationBus,
  ) {}

  async onModuleInit(): Promise<void> {
    // Listen before loading, so nothing revoked meanwhile is missed.
    this.unsubscribe = this.invalidation.subscribe((event) => {
      if (event.kind === 'access-token-revoked') this.revoked.set(event.jti, event.exp);
    });
    await this.resync();
    this.timer = setInterval(() => void this.resync().catch((e: unknown) => this.logger.error(e)), RESYNC_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  async revoke(jti: string, exp: number): Promise<void> {
    await this.transactions.run(async (m) => {
      if (await m.exists(RevokedAccessToken, { where: { jti } })) return;
      await m.insert(RevokedAccessToken, { jti, expiresAt: new Date(exp * 1000), revokedAt: new Date() });
    });
    this.invalidation.publish({ kind: 'access-token-revoked', jti, exp });
  }

  /** Drops rows whose tokens have expired anyway. */
  prune(): Promise<number> {
    return deleteInBatches(this.transactions, 'revoked_access_tokens', 'jti', 'expires_at < :now', { now: Date.now() });
  }

  private async resync(): Promise<void> {
    const rows = await this.rows.createQueryBuilder('r').where('r.expires_at >= :now', { now: Date.now() }).getMany();
    const fresh = new Map(rows.map((row) => [row.jti, Math.floor(row.expiresAt.getTime() / 1000)]));
    // Keep entries that arrived by event but are not yet visible to this read.
    const nowSeconds = Date.now() / 1000;
    for (const [jti, exp] of this.revoked) if (!fresh.has(jti) && exp >= nowSeconds) fresh.set(jti, exp);
    this.revoked = fresh;
  }
}
