import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service.js';
import { AuthorizationCodes } from '../auth/authorize/authorization-codes.service.js';
import { KeySetService } from '../auth/keys/key-set.service.js';
import { AccessTokenRevocations } from '../auth/tokens/access-token-revocations.service.js';
import { RefreshTokenService } from '../auth/tokens/refresh-token.service.js';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { SIGN_IN_SOURCE_RETENTION_MS, SignInSources } from '../throttling/sign-in-sources.service.js';
import { AccessEventLog } from '../events/access-event.log.js';
import { SessionsService } from '../signin/sessions/sessions.service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EVERY_TEN_MINUTES = 600_000;

export interface PruneReport {
  refreshTokens: number;
  revokedAccessTokens: number;
  auditEvents: number;
  signingKeys: number;
  signInSources: number;
  accessEvents: number;
  authorizationCodes: number;
  signInSessions: number;
}

/**
 * Removes what can no longer matter: refresh tokens and families a day past
 * their end, revocation entries of expired access tokens, audit events past
 * AUDIT_RETENTION_DAYS, retired keys whose tokens have all expired, sign-in
 * sources not seen for SIGN_IN_SOURCE_RETENTION_MS, access events past their
 * retention, expired authorization codes and sign-in sessions a day past their end. Runs
 * on every instance (the work is idempotent) in small batches, so requests
 * never wait behind it.
 */
@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger(MaintenanceService.name);
  private running = false;

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly refreshTokens: RefreshTokenService,
    private readonly revocations: AccessTokenRevocations,
    private readonly audit: AuditService,
    private readonly keys: KeySetService,
    private readonly signInSources: SignInSources,
    private readonly accessEvents: AccessEventLog,
    private readonly codes: AuthorizationCodes,
    private readonly sessions: SessionsService,
  ) {}

  @Interval('prune', EVERY_TEN_MINUTES)
  async scheduledPrune(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const report = await this.prune();
      if (Object.values(report).some((count) => count > 0)) this.logger.log({ pruned: report }, 'Pruned expired data');
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'Pruning failed; will retry');
    } finally {
      this.running = false;
    }
  }

  async prune(now = Date.now()): Promise<PruneReport> {
    return {
      refreshTokens: await this.refreshTokens.pruneEnded(new Date(now - DAY)),
      revokedAccessTokens: await this.revocations.prune(),
      auditEvents: await this.audit.prune(new Date(now - this.config.auditRetentionDays * DAY)),
      signingKeys: await this.keys.pruneRetired(),
      signInSources: await this.signInSources.prune(new Date(now - SIGN_IN_SOURCE_RETENTION_MS)),
      // A subscriber may resume from any event its cached decisions could still depend on: twice the
      // access-token lifetime, and never less than an hour.
      accessEvents: await this.accessEvents.prune(new Date(now - Math.max(2 * this.config.accessTokenTtl * 1000, HOUR))),
      // A used code is kept until it would have expired: presenting it again is how a replay is caught.
      authorizationCodes: await this.codes.prune(new Date(now)),
      signInSessions: await this.sessions.prune(new Date(now - DAY)),
    };
  }
}
