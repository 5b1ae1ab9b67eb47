import { Inject } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './env.schema.js';

/** Thrown for a bad environment; its message is one line meant for the console as it is. */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
}

export type SigningAlg = 'ES256' | 'RS256';

export interface AppConfig {
  port: number;
  host: string;
  issuer: string;
  audience: string;
  databaseUrl: string;
  redisUrl?: string;
  /** Namespace of every Redis key and channel, so deployments can share a Redis. */
  redisKeyPrefix: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshTokenIdleTtl: number;
  refreshTokenGracePeriod: number;
  /** Browser sign-in session: absolute and idle lifetimes, seconds. */
  sessionTtl: number;
  sessionIdleTtl: number;
  authorizationCodeTtl: number;
  rateLimitPerMinute: number;
  loginFailuresBeforeLockout: number;
  trustProxy: number;
  bcryptCost: number;
  signingAlg: SigningAlg;
  signingKeyEncryptionSecret?: string;
  /** The former secret while it is being changed: keys sealed under it are opened and sealed again under the new one. */
  signingKeyEncryptionSecretPrevious?: string;
  logLevel: string;
  /** NODE_ENV=production: JSON logs, generated bootstrap credentials written to a file instead of the terminal. */
  production: boolean;
  auditRetentionDays: number;
  /** Prometheus metrics are served on this port (bound to `host`) when set; never on `port`. */
  metricsPort?: number;
  /** Seconds between a shutdown signal and closing the listener, with readiness already 503. */
  shutdownDelay: number;
  bootstrap: {
    adminUsername?: string;
    adminPassword?: string;
    clientId?: string;
    clientSecret?: string;
  };
}

/** Validates raw env (strings) and returns the typed configuration, or throws ConfigValidationError. */
export function loadAppConfig(raw: NodeJS.ProcessEnv): AppConfig {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(EnvironmentVariables, present);
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    // class-validator lists a property's failed constraints last decorator first; the first
    // decorator states the basic rule ("must be set with …"), so its message is the one to show.
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}).slice(-1));
    throw new ConfigValidationError(`Invalid configuration: ${messages.join('; ')}`);
  }
  const port = env.PORT ?? 3000;
  const issuer = (env.ISSUER ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    issuer,
    audience: env.ACCESS_TOKEN_AUDIENCE ?? issuer,
    databaseUrl: env.DATABASE_URL ?? 'sqlite:data/gatehouse.sqlite',
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'gatehouse:',
    accessTokenTtl: env.ACCESS_TOKEN_TTL ?? 900,
    refreshTokenTtl: env.REFRESH_TOKEN_TTL ?? 2_592_000,
    refreshTokenIdleTtl: env.REFRESH_TOKEN_IDLE_TTL ?? 1_209_600,
    refreshTokenGracePeriod: env.REFRESH_TOKEN_GRACE_PERIOD ?? 0,
    sessionTtl: env.SESSION_TTL ?? 28_800,
    sessionIdleTtl: env.SESSION_IDLE_TTL ?? 3_600,
    authorizationCodeTtl: env.AUTHORIZATION_CODE_TTL ?? 60,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 600,
    loginFailuresBeforeLockout: env.LOGIN_FAILURES_BEFORE_LOCKOUT ?? 5,
    trustProxy: env.TRUST_PROXY ?? 0,
    bcryptCost: env.BCRYPT_COST ?? 12,
    signingAlg: env.SIGNING_ALG ?? 'ES256',
    signingKeyEncryptionSecret: env.SIGNING_KEY_ENCRYPTION_SECRET,
    signingKeyEncryptionSecretPrevious: env.SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS,
    logLevel: env.LOG_LEVEL ?? 'info',
    production: env.NODE_ENV === 'production',
    auditRetentionDays: env.AUDIT_RETENTION_DAYS ?? 365,
    metricsPort: env.METRICS_PORT,
    shutdownDelay: env.SHUTDOWN_DELAY ?? 0,
    bootstrap: {
      adminUsername: env.BOOTSTRAP_ADMIN_USERNAME,
      adminPassword: env.BOOTSTRAP_ADMIN_PASSWORD,
      clientId: env.BOOTSTRAP_CLIENT_ID,
      clientSecret: env.BOOTSTRAP_CLIENT_SECRET,
    },
  };
}

/**
 * Read when the application initialises (not when this file is imported), so a
 * test can boot the real AppModule several times with different environments.
 */
export const appConfig = registerAs('app', (): AppConfig => loadAppConfig(process.env));

export const InjectAppConfig = (): ParameterDecorator => Inject(appConfig.KEY);
