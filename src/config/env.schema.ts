import { Transform } from 'class-transformer';
import { IsAcceptablePassword, passwordProblem, USERNAME_PATTERN } from '../users/credentials.policy.js';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

/** Environment values arrive as strings; "" means unset, as most .env tooling expects. */
const toInt = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value));

const positive = (name: string, max: number) => `${name} must be a positive integer (seconds), at most ${max}`;

const DAY = 86_400;
/** Upper bounds keep every computed expiry a valid date, and refuse lifetimes no one means. */
const MAX_ACCESS_TOKEN_TTL = DAY;
const MAX_REFRESH_TTL = 5 * 365 * DAY;

/**
 * Every variable API.md names, with the rule a wrong value breaks. Messages are
 * written to be printed as they are: one line naming the variable.
 */
export class EnvironmentVariables {
  @IsOptional()
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'HOST must not be empty' })
  HOST?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s?#]+$/, {
    message: 'ISSUER must be an http(s) URL without query or fragment',
  })
  ISSUER?: string;

  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$|^[\w.:-]+$/, {
    message: 'ACCESS_TOKEN_AUDIENCE must be a URI (https://…, api://…, urn:…) or a plain identifier',
  })
  ACCESS_TOKEN_AUDIENCE?: string;

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/\S+)$/, {
    message: 'DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of A-Z a-z 0-9 : _ . -' })
  REDIS_KEY_PREFIX?: string;

  @IsOptional()
  @toInt()
  @IsInt({ message: positive('ACCESS_TOKEN_TTL', MAX_ACCESS_TOKEN_TTL) })
  @Min(1, { message: positive('ACCESS_TOKEN_TTL', MAX_ACCESS_TOKEN_TTL) })
  @Max(MAX_ACCESS_TOKEN_TTL, { message: positive('ACCESS_TOKEN_TTL', MAX_ACCESS_TOKEN_TTL) })
  ACCESS_TOKEN_TTL?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: positive('REFRESH_TOKEN_TTL', MAX_REFRESH_TTL) })
  @Min(1, { message: positive('REFRESH_TOKEN_TTL', MAX_REFRESH_TTL) })
  @Max(MAX_REFRESH_TTL, { message: positive('REFRESH_TOKEN_TTL', MAX_REFRESH_TTL) })
  REFRESH_TOKEN_TTL?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: positive('REFRESH_TOKEN_IDLE_TTL', MAX_REFRESH_TTL) })
  @Min(1, { message: positive('REFRESH_TOKEN_IDLE_TTL', MAX_REFRESH_TTL) })
  @Max(MAX_REFRESH_TTL, { message: positive('REFRESH_TOKEN_IDLE_TTL', MAX_REFRESH_TTL) })
  REFRESH_TOKEN_IDLE_TTL?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: positive('SESSION_TTL', MAX_REFRESH_TTL) })
  @Min(1, { message: positive('SESSION_TTL', MAX_REFRESH_TTL) })
  @Max(MAX_REFRESH_TTL, { message: positive('SESSION_TTL', MAX_REFRESH_TTL) })
  SESSION_TTL?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: positive('SESSION_IDLE_TTL', MAX_REFRESH_TTL) })
  @Min(1, { message: positive('SESSION_IDLE_TTL', MAX_REFRESH_TTL) })
  @Max(MAX_REFRESH_TTL, { message: positive('SESSION_IDLE_TTL', MAX_REFRESH_TTL) })
  SESSION_IDLE_TTL?: number;

  /** RFC 6749 §4.1.2: a code lives briefly; 10 minutes is the most the RFC recommends. */
  @IsOptional()
  @toInt()
  @IsInt({ message: positive('AUTHORIZATION_CODE_TTL', 600) })
  @Min(1, { message: positive('AUTHORIZATION_CODE_TTL', 600) })
  @Max(600, { message: positive('AUTHORIZATION_CODE_TTL', 600) })
  AUTHORIZATION_CODE_TTL?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'REFRESH_TOKEN_GRACE_PERIOD must be an integer of 0 or more (seconds), at most 3600' })
  @Min(0, { message: 'REFRESH_TOKEN_GRACE_PERIOD must be an integer of 0 or more (seconds), at most 3600' })
  @Max(3600, { message: 'REFRESH_TOKEN_GRACE_PERIOD must be an integer of 0 or more (seconds), at most 3600' })
  REFRESH_TOKEN_GRACE_PERIOD?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer of 0 or more (0 turns it off)' })
  @Min(0, { message: 'RATE_LIMIT_PER_MINUTE must be an integer of 0 or more (0 turns it off)' })
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'LOGIN_FAILURES_BEFORE_LOCKOUT must be an integer from 1 to 1000' })
  @Min(1, { message: 'LOGIN_FAILURES_BEFORE_LOCKOUT must be an integer from 1 to 1000' })
  @Max(1000, { message: 'LOGIN_FAILURES_BEFORE_LOCKOUT must be an integer from 1 to 1000' })
  LOGIN_FAILURES_BEFORE_LOCKOUT?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'TRUST_PROXY must be an integer from 0 to 10 (proxy hops)' })
  @Min(0, { message: 'TRUST_PROXY must be an integer from 0 to 10 (proxy hops)' })
  @Max(10, { message: 'TRUST_PROXY must be an integer from 0 to 10 (proxy hops)' })
  TRUST_PROXY?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'BCRYPT_COST must be an integer from 4 to 15' })
  @Min(4, { message: 'BCRYPT_COST must be an integer from 4 to 15' })
  @Max(15, { message: 'BCRYPT_COST must be an integer from 4 to 15' })
  BCRYPT_COST?: number;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_ADMIN_PASSWORD !== undefined)
  @Matches(USERNAME_PATTERN, {
    message: 'BOOTSTRAP_ADMIN_USERNAME must be set with BOOTSTRAP_ADMIN_PASSWORD, 3-64 of A-Z a-z 0-9 . _ @ -',
  })
  BOOTSTRAP_ADMIN_USERNAME?: string;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_ADMIN_USERNAME !== undefined)
  @IsAcceptablePassword({
    message: ({ value }) =>
      value === undefined
        ? 'BOOTSTRAP_ADMIN_PASSWORD must be set with BOOTSTRAP_ADMIN_USERNAME'
        : `BOOTSTRAP_ADMIN_PASSWORD is not acceptable: ${passwordProblem(value)}`,
  })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_CLIENT_SECRET !== undefined)
  @Matches(/^[A-Za-z0-9._~-]{3,64}$/, {
    message: 'BOOTSTRAP_CLIENT_ID must be set with BOOTSTRAP_CLIENT_SECRET, 3-64 of A-Z a-z 0-9 . _ ~ -',
  })
  BOOTSTRAP_CLIENT_ID?: string;

  @ValidateIf((env: EnvironmentVariables) => env.BOOTSTRAP_CLIENT_ID !== undefined)
  @IsString({ message: 'BOOTSTRAP_CLIENT_SECRET must be set with BOOTSTRAP_CLIENT_ID' })
  @MinLength(32, { message: 'BOOTSTRAP_CLIENT_SECRET must be at least 32 characters' })
  @MaxLength(512, { message: 'BOOTSTRAP_CLIENT_SECRET must be at most 512 characters' })
  BOOTSTRAP_CLIENT_SECRET?: string;

  /** Required on PostgreSQL: the private signing keys are sealed under it (SQLite keeps a generated key in a file instead). */
  @ValidateIf((env: EnvironmentVariables) => env.SIGNING_KEY_ENCRYPTION_SECRET !== undefined || /^postgres/.test(env.DATABASE_URL ?? ''))
  @IsString({
    message: 'SIGNING_KEY_ENCRYPTION_SECRET must be set (32+ characters) when DATABASE_URL is PostgreSQL: the private signing keys are stored sealed under it',
  })
  @MinLength(32, { message: 'SIGNING_KEY_ENCRYPTION_SECRET must be at least 32 characters' })
  SIGNING_KEY_ENCRYPTION_SECRET?: string;

  @IsOptional()
  @MinLength(32, { message: 'SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS must be at least 32 characters' })
  SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS?: string;

  @IsOptional()
  @IsIn(['ES256', 'RS256'], { message: 'SIGNING_ALG must be ES256 or RS256' })
  SIGNING_ALG?: 'ES256' | 'RS256';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  /** Anything but `production` is development: readable logs, generated credentials printed to the terminal. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'AUDIT_RETENTION_DAYS must be a positive integer (days)' })
  @Min(1, { message: 'AUDIT_RETENTION_DAYS must be a positive integer (days)' })
  AUDIT_RETENTION_DAYS?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'METRICS_PORT must be an integer from 1 to 65535' })
  @Min(1, { message: 'METRICS_PORT must be an integer from 1 to 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer from 1 to 65535' })
  METRICS_PORT?: number;

  @IsOptional()
  @toInt()
  @IsInt({ message: 'SHUTDOWN_DELAY must be an integer of seconds from 0 to 120' })
  @Min(0, { message: 'SHUTDOWN_DELAY must be an integer of seconds from 0 to 120' })
  @Max(120, { message: 'SHUTDOWN_DELAY must be an integer of seconds from 0 to 120' })
  SHUTDOWN_DELAY?: number;

  /** Read by src/telemetry/tracing.ts before the configuration loads; validated here so a typo is named. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}
