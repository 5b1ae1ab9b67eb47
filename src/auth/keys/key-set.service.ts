import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { DataSource, type EntityManager, In, LessThan, Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { InvalidationBus } from '../../common/invalidation/invalidation.bus.js';
import { type AppConfig, InjectAppConfig, type SigningAlg } from '../../config/app.config.js';
import { dialectOf } from '../../database/data-source-options.js';
import { TransactionService, WRITER } from '../../database/transaction.service.js';
import { AccessEventLog } from '../../events/access-event.log.js';
import type { KeyEncryption } from './key-encryption.js';
import { ServerKeys } from './server-keys.service.js';
import { SigningKey } from './signing-key.entity.js';

/** Clock leeway allowed when verifying `exp`, and so how long past expiry a retired key is still needed. */
export const CLOCK_LEEWAY_SECONDS = 30;
/** How often every instance re-reads the key set, whatever else happens. */
const RELOAD_INTERVAL_MS = 60_000;
/** How often the active kid is compared with the database's: a rotation by another process applies within it. */
const ACTIVE_KID_CHECK_MS = 1_000;
/** An unknown `kid` triggers at most one reload per this period: hostile kids cannot hammer the database. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

export interface ActiveKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
}

export interface VerificationKey {
  kid: string;
  alg: SigningAlg;
  publicKey: KeyObject;
}

/**
 * The signing key set, shared through the database by every instance. Keys
 * are imported once per load (never per request). A retired key stays
 * published until every token it signed has expired.
 */
@Injectable()
export class KeySetService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeySetService.name);
  private readonly encryption: KeyEncryption;
  private active: ActiveKey | null = null;
  private verification = new Map<string, VerificationKey>();
  private jwks: { keys: JWK[] } = { keys: [] };
  private lastLoad = 0;
  private loading: Promise<void> | null = null;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly invalidation: InvalidationBus,
    serverKeys: ServerKeys,
    private readonly events: AccessEventLog,
    @InjectDataSource(WRITER) private readonly writer: DataSource,
  ) {
    this.encryption = serverKeys.encryption;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.refresh().catch((e: unknown) => this.logger.error(e)), ACTIVE_KID_CHECK_MS);
    this.timer.unref();
    this.unsubscribe = this.invalidation.subscribe((event) => {
      if (event.kind === 'keys') void this.reload().catch((e: unknown) => this.logger.error(e));
    });
  }

  /** Before the server listens: no key is left unsealed, or sealed under a secret being retired. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sealStoredKeys();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  async activeKey(): Promise<ActiveKey> {
    if (!this.active) await this.reload();
    if (!this.active) throw new Error('No active signing key');
    return this.active;
  }

  /** Our key for `kid`, reloading once if it is new to this instance; null for any kid we never made. */
  async verificationKey(kid: string): Promise<VerificationKey | null> {
    const known = this.verification.get(kid);
    if (known) return known;
    if (Date.now() - this.lastLoad > UNKNOWN_KID_RELOAD_MS) await this.reload();
    return this.verification.get(kid) ?? null;
  }

  /** Whether `kid` is in the key set as loaded now: what was verified with a key it no longer holds must not be trusted. */
  holds(kid: string): boolean {
    return this.verification.has(kid);
  }

  async publicJwks(): Promise<{ keys: JWK[] }> {
    if (!this.lastLoad) await this.reload();
    return this.jwks;
  }

  /** Creates the first key on an empty key set (bootstrap, under the startup lock). */
  async ensureActiveKey(m: EntityManager): Promise<void> {
    if (await m.exists(SigningKey, { where: { status: 'active' } })) return;
    await m.save(SigningKey, await this.generate(this.config.signingAlg));
  }

  /** Adds a new active key; the previous one is retired but stays published until its tokens expire. */
  async rotate(actorId: string | null, alg: SigningAlg = this.config.signingAlg): Promise<{ kid: string; retired: string[] }> {
    const fresh = await this.generate(alg);
    const retired = await this.transactions.run(async (m) => {
      const previous = await m.find(SigningKey, { where: { status: 'active' } });
      await m.update(SigningKey, { status: 'active' }, { status: 'retired', retiredAt: new Date() });
      await m.save(SigningKey, fresh);
      const kids = previous.map((key) => key.kid);
      await this.audit.record({ type: 'key.rotated', actorId, details: { kid: fresh.kid, alg, retired: kids } }, m);
      return kids;
    });
    this.invalidation.publish({ kind: 'keys' });
    await this.reload();
    return { kid: fresh.kid, retired };
  }

  /**
   * Seals every private key found unsealed (written by an older version) or
   * sealed under SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS under the current
   * key, then wipes the old bytes from the database files: SQLite overwrites
   * freed space (secure_delete) and empties its write-ahead log; PostgreSQL
   * rewrites the table, leaving no dead row version behind. Instances doing
   * this at once are harmless: each update only replaces the value it read.
   */
  async sealStoredKeys(): Promise<number> {
    const rows = await this.keys.find({ select: { kid: true, privateKey: true } });
    const stale = rows.filter((row) => !this.encryption.open(row.privateKey).sealedUnderCurrent);
    if (stale.length === 0) return 0;
    const sqlite = dialectOf(this.config.databaseUrl) === 'sqlite';
    // The pragmas and the wipe are settings of the writer's connection, outside any unit of work.
    if (sqlite) await this.writer.query('PRAGMA secure_delete = ON');
    let sealed: number;
    try {
      sealed = await this.transactions.run(async (m) => {
        let count = 0;
        for (const row of stale) {
          const { pem } = this.encryption.open(row.privateKey);
          const result = await m.update(SigningKey, { kid: row.kid, privateKey: row.privateKey }, { privateKey: this.encryption.seal(pem) });
          count += result.affected ?? 0;
        }
        return count;
      });
    } finally {
      if (sqlite) await this.writer.query('PRAGMA secure_delete = OFF');
    }
    await this.writer.query(sqlite ? 'PRAGMA wal_checkpoint(TRUNCATE)' : 'VACUUM FULL signing_keys');
    this.logger.log({ sealed }, 'Sealed stored signing keys under the current key-encryption key');
    return sealed;
  }

  /** Deletes retired keys whose every token has expired. */
  async pruneRetired(): Promise<number> {
    const cutoff = new Date(Date.now() - (this.config.accessTokenTtl + CLOCK_LEEWAY_SECONDS) * 1000);
    // A handful at most (one per rotation): one unit of work, so each removal and its event commit together.
    return this.transactions.run(async (m) => {
      const gone = await m.find(SigningKey, { select: { kid: true }, where: { status: 'retired', retiredAt: LessThan(cutoff) } });
      if (gone.length === 0) return 0;
      await m.delete(SigningKey, { kid: In(gone.map((key) => key.kid)) });
      // Resource servers in other processes drop the key too (it verifies nothing Gatehouse still accepts).
      await this.events.append(
        m,
        gone.map((key) => ({ type: 'key.retired' as const, kid: key.kid })),
      );
      return gone.length;
    });
  }

  /**
   * A rotation by another process (the admin CLI) reaches a running instance
   * without Redis too: one indexed read of the active kid a second, and a full
   * reload only when it changed (or a minute has passed).
   */
  private async refresh(): Promise<void> {
    if (Date.now() - this.lastLoad < RELOAD_INTERVAL_MS) {
      const active = await this.keys.findOne({ select: { kid: true }, where: { status: 'active' }, order: { createdAt: 'DESC' } });
      if (!active || active.kid === this.active?.kid) return;
    }
    await this.reload();
  }

  /** Single-flight: concurrent callers share one database read. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.keys.find({ order: { createdAt: 'DESC' } });
    const publishUntil = (row: SigningKey) =>
      row.status === 'active' || !row.retiredAt ? Infinity : row.retiredAt.getTime() + (this.config.accessTokenTtl + CLOCK_LEEWAY_SECONDS) * 1000;
    const now = Date.now();
    const verification = new Map<string, VerificationKey>();
    const jwks: JWK[] = [];
    let active: ActiveKey | null = null;
    for (const row of rows) {
      if (publishUntil(row) <= now) continue;
      const alg = row.alg as SigningAlg;
      verification.set(row.kid, { kid: row.kid, alg, publicKey: createPublicKey({ key: row.publicJwk as JWK & { kty: string }, format: 'jwk' }) });
      jwks.push({ ...(row.publicJwk as JWK), kid: row.kid, alg, use: 'sig' });
      if (row.status === 'active' && !active) {
        active = { kid: row.kid, alg, privateKey: createPrivateKey(this.encryption.open(row.privateKey).pem) };
      }
    }
    this.verification = verification;
    this.jwks = { keys: jwks };
    this.active = active;
    this.lastLoad = now;
  }

  private async generate(alg: SigningAlg): Promise<SigningKey> {
    const { publicKey, privateKey } =
      alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    return this.keys.create({
      kid,
      alg,
      publicJwk: jwk as Record<string, unknown>,
      privateKey: this.encryption.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
      status: 'active',
      createdAt: new Date(),
      retiredAt: null,
    });
  }
}
