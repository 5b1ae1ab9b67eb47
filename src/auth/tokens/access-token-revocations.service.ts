import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { InvalidationBus } from '../../common/invalidation/invalidation.bus.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AccessEventLog } from '../../events/access-event.log.js';
import { RedisConnections } from '../../redis/redis.connections.js';
import { CLOCK_LEEWAY_SECONDS } from '../keys/key-set.service.js';
import { RevokedAccessToken } from './revoked-access-token.entity.js';

/**
 * The revocation list's key for a whole login: every access token carrying
 * `sid` (its refresh-token family) is revoked by one entry, checked exactly
 * like a revoked `jti`. The prefix cannot collide with a jti (a UUID).
 */
export const sessionKey = (sid: string) => `sid:${sid}`;
const sidOf = (key: string): string | null => (key.startsWith('sid:') ? key.slice('sid:'.length) : null);

/** What the guard checks: the token's own id, and the login it came from. */
export interface RevocableToken {
  jti: string;
  sid?: string;
}

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
  private authoritative = true;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    @InjectRepository(RevokedAccessToken) private readonly rows: Repository<RevokedAccessToken>,
    private readonly transactions: TransactionService,
    private readonly invalidation: InvalidationBus,
    private readonly redis: RedisConnections,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly events: AccessEventLog,
  ) {}

  async onModuleInit(): Promise<void> {
    // Listen before loading, so nothing revoked meanwhile is missed.
    this.unsubscribe = this.invalidation.subscribe((event) => {
      if (event.kind === 'access-token-revoked') this.revoked.set(event.jti, event.exp);
      if (event.kind === 'bus') this.onBusHealth(event.healthy);
    });
    this.authoritative = this.invalidation.healthy;
    await this.resync();
    this.timer = setInterval(() => this.onBusHealth(this.invalidation.healthy), RESYNC_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * While the bus may miss revocations made elsewhere, the database answers;
   * once it is healthy again, what was revoked meanwhile is re-read before
   * memory is trusted again.
   */
  private onBusHealth(healthy: boolean): void {
    if (!healthy) {
      this.authoritative = false;
      return;
    }
    void this.resync().then(
      () => (this.authoritative = this.invalidation.healthy),
      (error: unknown) => this.logger.error(error),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  /**
   * Whether the token, or the login it came from, is revoked. From memory
   * while this instance hears every revocation; from the database while it
   * might not (the cross-instance relay is down), so a revocation is never missed.
   */
  async isRevoked(token: RevocableToken): Promise<boolean> {
    const keys = keysOf(token);
    if (keys.some((key) => this.revoked.has(key))) return true;
    if (this.authoritative) return false;
    return this.rows.exists({ where: keys.map((jti) => ({ jti })) });
  }

  /** True only when this instance knows for certain, without a query, that the token is not revoked. */
  knownNotRevoked(token: RevocableToken): boolean {
    return this.authoritative && !keysOf(token).some((key) => this.revoked.has(key));
  }

  async revoke(jti: string, exp: number): Promise<void> {
    const entry = { key: jti, exp };
    await this.transactions.run((m) => this.record(m, entry));
    await this.announce(entry);
  }

  /**
   * Revokes every access token of a login (refresh-token family `sid`), in the
   * caller's unit of work: none outlives the last one issued, so the entry
   * lasts one access-token lifetime. Pass the result to `announce` once the
   * unit of work has committed.
   */
  async revokeSession(m: EntityManager, sid: string): Promise<RevocationEntry> {
    const entry = { key: sessionKey(sid), exp: Math.ceil(Date.now() / 1000) + this.config.accessTokenTtl + CLOCK_LEEWAY_SECONDS };
    await this.record(m, entry);
    return entry;
  }

  /** After the commit: every instance (and every service sharing Redis) refuses the revoked tokens at once. */
  async announce({ key, exp }: RevocationEntry): Promise<void> {
    this.invalidation.publish({ kind: 'access-token-revoked', jti: key, exp });
    await this.mirrorToRedis(key, exp);
  }

  /** In the caller's unit of work: the revocation and its event for other processes commit together. */
  private async record(m: EntityManager, { key, exp }: RevocationEntry): Promise<void> {
    if (await m.exists(RevokedAccessToken, { where: { jti: key } })) return;
    await m.insert(RevokedAccessToken, { jti: key, expiresAt: new Date(exp * 1000), revokedAt: new Date() });
    const sid = sidOf(key);
    await this.events.append(m, [sid === null ? { type: 'access_token.revoked', jti: key, exp } : { type: 'family.revoked', sid }]);
  }

  /** A Redis key per revoked jti, expiring with the token: other services sharing Redis can check it. */
  private async mirrorToRedis(jti: string, exp: number): Promise<void> {
    const redis = this.redis.command;
    if (!redis) return;
    await redis.set(this.redis.key(`revoked:${jti}`), '1', 'EXAT', exp + CLOCK_LEEWAY_SECONDS).catch((error: unknown) => {
      this.logger.error({ error: (error as Error).message }, 'Could not mirror a revocation to Redis (the database has it)');
    });
  }

  /** Drops rows whose tokens have expired anyway. */
  prune(): Promise<number> {
    return deleteInBatches(this.transactions, 'revoked_access_tokens', 'jti', 'expires_at < :now', { now: Date.now() });
  }

  async resync(): Promise<void> {
    const rows = await this.rows.createQueryBuilder('r').where('r.expires_at >= :now', { now: Date.now() }).getMany();
    const fresh = new Map(rows.map((row) => [row.jti, Math.floor(row.expiresAt.getTime() / 1000)]));
    // Keep entries that arrived by event but are not yet visible to this read.
    const nowSeconds = Date.now() / 1000;
    for (const [jti, exp] of this.revoked) if (!fresh.has(jti) && exp >= nowSeconds) fresh.set(jti, exp);
    this.revoked = fresh;
  }
}

/** One entry of the revocation list: a jti or a session key, and when its tokens expire anyway (epoch seconds). */
export interface RevocationEntry {
  key: string;
  exp: number;
}

const keysOf = ({ jti, sid }: RevocableToken): string[] => (sid === undefined ? [jti] : [jti, sessionKey(sid)]);
