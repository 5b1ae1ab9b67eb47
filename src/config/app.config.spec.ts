import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadAppConfig } from './app.config.js';

/** The error loadAppConfig throws for `env`, or a failed expectation when it throws none. */
function configError(env: Record<string, string | undefined>): ConfigValidationError {
  try {
    loadAppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

/** What start-up prints: one line, naming the variable, with the rule it broke. */
function expectOneLineNaming(error: ConfigValidationError, variable: string, rule?: RegExp): void {
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message).toContain(variable);
  if (rule) expect(error.message).toMatch(rule);
}

const SECRET_32 = 'x'.repeat(32);

describe('loadAppConfig', () => {
  describe('defaults (API.md, Environment)', () => {
    it('an empty environment gives every documented default', () => {
      // toMatchObject: a variable added later brings its own default without breaking this list.
      expect(loadAppConfig({})).toMatchObject({
        port: 3000,
        host: '127.0.0.1',
        issuer: 'http://localhost:3000',
        audience: 'http://localhost:3000',
        databaseUrl: 'sqlite:data/gatehouse.sqlite',
        accessTokenTtl: 900,
        refreshTokenTtl: 2_592_000,
        refreshTokenIdleTtl: 1_209_600,
        refreshTokenGracePeriod: 0,
        sessionTtl: 28_800,
        sessionIdleTtl: 3_600,
        authorizationCodeTtl: 60,
        rateLimitPerMinute: 600,
        loginFailuresBeforeLockout: 5,
        trustProxy: 0,
        bcryptCost: 12,
        signingAlg: 'ES256',
        logLevel: 'info',
        production: false,
        auditRetentionDays: 365,
      });
    });

    it('only NODE_ENV=production is production (vitest sets test, tools set development)', () => {
      expect(loadAppConfig({ NODE_ENV: 'production' }).production).toBe(true);
      for (const value of ['development', 'test', 'prod', 'Production']) expect(loadAppConfig({ NODE_ENV: value }).production).toBe(false);
    });

    it('optional settings and the bootstrap pairs are unset by default', () => {
      const config = loadAppConfig({});
      expect(config.redisUrl).toBeUndefined();
      expect(config.signingKeyEncryptionSecret).toBeUndefined();
      expect(config.bootstrap).toEqual({
        adminUsername: undefined,
        adminPassword: undefined,
        clientId: undefined,
        clientSecret: undefined,
      });
    });

    it('the issuer follows PORT, and the audience follows the issuer', () => {
      const config = loadAppConfig({ PORT: '8080' });
      expect(config.issuer).toBe('http://localhost:8080');
      expect(config.audience).toBe('http://localhost:8080');
    });

    it('a trailing slash on ISSUER is dropped, so metadata URLs do not get "//"', () => {
      expect(loadAppConfig({ ISSUER: 'https://auth.example.com/' }).issuer).toBe('https://auth.example.com');
      expect(loadAppConfig({ ISSUER: 'https://auth.example.com/tenant//' }).issuer).toBe('https://auth.example.com/tenant');
    });

    it('ACCESS_TOKEN_AUDIENCE overrides the audience only', () => {
      const config = loadAppConfig({ ISSUER: 'https://auth.example.com', ACCESS_TOKEN_AUDIENCE: 'urn:example:notes' });
      expect(config).toMatchObject({ issuer: 'https://auth.example.com', audience: 'urn:example:notes' });
    });

    it('reads every variable it is given, converting numbers', () => {
      const config = loadAppConfig({
        PORT: '0',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u:p@db:5432/gatehouse',
        REDIS_URL: 'rediss://cache:6380',
        ACCESS_TOKEN_TTL: '60',
        REFRESH_TOKEN_TTL: '3600',
        REFRESH_TOKEN_IDLE_TTL: '600',
        REFRESH_TOKEN_GRACE_PERIOD: '5',
        SESSION_TTL: '7200',
        SESSION_IDLE_TTL: '300',
        AUTHORIZATION_CODE_TTL: '30',
        RATE_LIMIT_PER_MINUTE: '0',
        LOGIN_FAILURES_BEFORE_LOCKOUT: '3',
        TRUST_PROXY: '2',
        BCRYPT_COST: '4',
        SIGNING_ALG: 'RS256',
        SIGNING_KEY_ENCRYPTION_SECRET: SECRET_32,
        LOG_LEVEL: 'silent',
        AUDIT_RETENTION_DAYS: '30',
      });
      expect(config).toMatchObject({
        port: 0,
        host: '0.0.0.0',
        databaseUrl: 'postgres://u:p@db:5432/gatehouse',
        redisUrl: 'rediss://cache:6380',
        accessTokenTtl: 60,
        refreshTokenTtl: 3600,
        refreshTokenIdleTtl: 600,
        refreshTokenGracePeriod: 5,
        sessionTtl: 7200,
        sessionIdleTtl: 300,
        authorizationCodeTtl: 30,
        rateLimitPerMinute: 0,
        loginFailuresBeforeLockout: 3,
        trustProxy: 2,
        bcryptCost: 4,
        signingAlg: 'RS256',
        signingKeyEncryptionSecret: SECRET_32,
        logLevel: 'silent',
        auditRetentionDays: 30,
      });
    });

    it.each(['sqlite:data/x.sqlite', 'sqlite::memory:', 'sqlite:/tmp/abs.sqlite'])('accepts DATABASE_URL=%s', (url) => {
      expect(loadAppConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });

    it('accepts PostgreSQL with SIGNING_KEY_ENCRYPTION_SECRET, and refuses it without, in one line naming the variable', () => {
      const url = 'postgresql://u@h/db';
      expect(loadAppConfig({ DATABASE_URL: url, SIGNING_KEY_ENCRYPTION_SECRET: SECRET_32 }).databaseUrl).toBe(url);
      expect(() => loadAppConfig({ DATABASE_URL: url })).toThrow(
        /^Invalid configuration: SIGNING_KEY_ENCRYPTION_SECRET must be set \(32\+ characters\) when DATABASE_URL is PostgreSQL[^\n;]*$/,
      );
      expect(() => loadAppConfig({ DATABASE_URL: url, SIGNING_KEY_ENCRYPTION_SECRET: 'short' })).toThrow(/at least 32 characters/);
    });

    it('reads SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS, at least 32 characters', () => {
      const previous = `${SECRET_32}-previous`;
      expect(loadAppConfig({ SIGNING_KEY_ENCRYPTION_SECRET: SECRET_32, SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS: previous })).toMatchObject({
        signingKeyEncryptionSecret: SECRET_32,
        signingKeyEncryptionSecretPrevious: previous,
      });
      expect(() => loadAppConfig({ SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS: 'short' })).toThrow(/SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS must be at least 32/);
    });

    it('ignores variables it does not know (the real environment is full of them)', () => {
      expect(() => loadAppConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'production' })).not.toThrow();
    });
  });

  describe('empty string counts as unset', () => {
    it.each([
      'PORT',
      'HOST',
      'ISSUER',
      'DATABASE_URL',
      'REDIS_URL',
      'ACCESS_TOKEN_TTL',
      'BCRYPT_COST',
      'SIGNING_ALG',
      'LOG_LEVEL',
      'SIGNING_KEY_ENCRYPTION_SECRET',
    ])('%s="" gives the default', (name) => {
      expect(loadAppConfig({ [name]: '' })).toEqual(loadAppConfig({}));
    });

    it('both halves of a bootstrap pair empty is the same as unset', () => {
      const config = loadAppConfig({
        BOOTSTRAP_ADMIN_USERNAME: '',
        BOOTSTRAP_ADMIN_PASSWORD: '',
        BOOTSTRAP_CLIENT_ID: '',
        BOOTSTRAP_CLIENT_SECRET: '',
      });
      expect(config.bootstrap).toEqual({
        adminUsername: undefined,
        adminPassword: undefined,
        clientId: undefined,
        clientSecret: undefined,
      });
    });

    it('an empty half of a bootstrap pair is a missing half', () => {
      const error = configError({ BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: '' });
      expectOneLineNaming(error, 'BOOTSTRAP_ADMIN_PASSWORD', /must be set with BOOTSTRAP_ADMIN_USERNAME/);
    });
  });

  describe('invalid values stop start-up with one line naming the variable', () => {
    it.each([
      ['BCRYPT_COST', '3', /integer from 4 to 15/],
      ['BCRYPT_COST', '16', /integer from 4 to 15/],
      ['BCRYPT_COST', '10.5', /integer from 4 to 15/],
      ['BCRYPT_COST', 'twelve', /integer from 4 to 15/],
      ['PORT', '65536', /integer from 0 to 65535/],
      ['PORT', '-1', /integer from 0 to 65535/],
      ['PORT', '80abc', /integer from 0 to 65535/],
      ['PORT', '1e3', /integer from 0 to 65535/],
      ['ACCESS_TOKEN_TTL', 'abc', /positive integer/],
      ['ACCESS_TOKEN_TTL', '0', /positive integer/],
      ['ACCESS_TOKEN_TTL', '-900', /positive integer/],
      ['ACCESS_TOKEN_TTL', '15m', /positive integer/],
      ['REFRESH_TOKEN_TTL', '0', /positive integer/],
      ['REFRESH_TOKEN_IDLE_TTL', '1.5', /positive integer/],
      ['REFRESH_TOKEN_GRACE_PERIOD', '-1', /0 or more/],
      ['REFRESH_TOKEN_GRACE_PERIOD', '3601', /at most 3600/],
      ['AUTHORIZATION_CODE_TTL', '601', /at most 600/],
      ['SESSION_IDLE_TTL', '0', /positive integer/],
      ['ACCESS_TOKEN_TTL', '99999999999999999999', /at most 86400/],
      ['REFRESH_TOKEN_TTL', '999999999', /at most 157680000/],
      ['RATE_LIMIT_PER_MINUTE', '-1', /0 or more/],
      ['LOGIN_FAILURES_BEFORE_LOCKOUT', '0', /from 1 to 1000/],
      ['TRUST_PROXY', '11', /from 0 to 10/],
      ['TRUST_PROXY', 'true', /from 0 to 10/],
      ['AUDIT_RETENTION_DAYS', '0', /positive integer/],
      ['DATABASE_URL', 'mysql://x', /sqlite:<path>.*postgres:\/\//],
      ['DATABASE_URL', 'sqlite:', /sqlite:<path>/],
      ['DATABASE_URL', 'data/gatehouse.sqlite', /sqlite:<path>/],
      ['REDIS_URL', 'http://cache:6379', /redis:\/\//],
      ['ISSUER', 'ftp://auth.example.com', /http\(s\) URL/],
      ['ISSUER', 'https://auth.example.com/?x=1', /without query or fragment/],
      ['ISSUER', 'auth.example.com', /http\(s\) URL/],
      ['ACCESS_TOKEN_AUDIENCE', 'has spaces in it', /URI .* or a plain identifier/],
      ['SIGNING_ALG', 'HS256', /ES256 or RS256/],
      ['SIGNING_ALG', 'none', /ES256 or RS256/],
      ['LOG_LEVEL', 'verbose', /one of fatal, error/],
      ['SIGNING_KEY_ENCRYPTION_SECRET', 'too-short', /at least 32 characters/],
      ['METRICS_PORT', '0', /from 1 to 65535/],
      ['METRICS_PORT', 'metrics', /from 1 to 65535/],
      ['SHUTDOWN_DELAY', '121', /from 0 to 120/],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', /http\(s\) URL/],
    ])('%s=%s', (name, value, rule) => {
      expectOneLineNaming(configError({ [name]: value }), name, rule);
    });

    it('the message is the line printed as it is: no class name, no stack', () => {
      const error = configError({ BCRYPT_COST: '3' });
      expect(error.name).toBe('ConfigValidationError');
      expect(error.message).toBe('Invalid configuration: BCRYPT_COST must be an integer from 4 to 15');
    });

    it('several bad variables are all named, still on one line', () => {
      const error = configError({ BCRYPT_COST: '3', ACCESS_TOKEN_TTL: 'abc', DATABASE_URL: 'mysql://x' });
      expect(error.message).not.toMatch(/[\r\n]/);
      for (const name of ['BCRYPT_COST', 'ACCESS_TOKEN_TTL', 'DATABASE_URL']) expect(error.message).toContain(name);
    });

    it('names each variable once, not once per broken rule', () => {
      // BCRYPT_COST=abc breaks IsInt, Min and Max at the same time.
      const error = configError({ BCRYPT_COST: 'abc' });
      expect(error.message.match(/BCRYPT_COST/g)).toHaveLength(1);
    });

    it('never echoes the offending value (it may be a secret)', () => {
      const password = 'sh0rt\u00e9';
      const error = configError({ BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: password });
      expect(error.message).not.toContain(password);
      const secret = 'not-long-enough-secret';
      expect(configError({ BOOTSTRAP_CLIENT_ID: 'app', BOOTSTRAP_CLIENT_SECRET: secret }).message).not.toContain(secret);
      expect(configError({ SIGNING_KEY_ENCRYPTION_SECRET: secret }).message).not.toContain(secret);
    });
  });

  describe('bootstrap pairs come together', () => {
    it('admin username without password', () => {
      expectOneLineNaming(configError({ BOOTSTRAP_ADMIN_USERNAME: 'root' }), 'BOOTSTRAP_ADMIN_PASSWORD', /must be set with BOOTSTRAP_ADMIN_USERNAME/);
    });

    it('admin password without username', () => {
      expectOneLineNaming(
        configError({ BOOTSTRAP_ADMIN_PASSWORD: 'a-good-password' }),
        'BOOTSTRAP_ADMIN_USERNAME',
        /must be set with BOOTSTRAP_ADMIN_PASSWORD/,
      );
    });

    it('client secret without client id', () => {
      expectOneLineNaming(configError({ BOOTSTRAP_CLIENT_SECRET: SECRET_32 }), 'BOOTSTRAP_CLIENT_ID', /must be set with BOOTSTRAP_CLIENT_SECRET/);
    });

    it('accepts any URI as the audience, not only http(s)', () => {
      expect(loadAppConfig({ ACCESS_TOKEN_AUDIENCE: 'api://notes' }).audience).toBe('api://notes');
      expect(loadAppConfig({ ACCESS_TOKEN_AUDIENCE: 'urn:example:notes' }).audience).toBe('urn:example:notes');
    });

    it('client id without client secret says the secret is missing', () => {
      expectOneLineNaming(configError({ BOOTSTRAP_CLIENT_ID: 'first-party' }), 'BOOTSTRAP_CLIENT_SECRET', /must be set with BOOTSTRAP_CLIENT_ID/);
    });

    it('client id without client secret is refused, naming the secret', () => {
      expectOneLineNaming(configError({ BOOTSTRAP_CLIENT_ID: 'first-party' }), 'BOOTSTRAP_CLIENT_SECRET');
    });

    it('complete pairs are taken as they are', () => {
      const config = loadAppConfig({
        BOOTSTRAP_ADMIN_USERNAME: 'root@example.com',
        BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery',
        BOOTSTRAP_CLIENT_ID: 'first-party.web_app~1',
        BOOTSTRAP_CLIENT_SECRET: SECRET_32,
      });
      expect(config.bootstrap).toEqual({
        adminUsername: 'root@example.com',
        adminPassword: 'correct horse battery',
        clientId: 'first-party.web_app~1',
        clientSecret: SECRET_32,
      });
    });

    it('one pair may be set without the other', () => {
      expect(loadAppConfig({ BOOTSTRAP_CLIENT_ID: 'app', BOOTSTRAP_CLIENT_SECRET: SECRET_32 }).bootstrap.adminUsername).toBeUndefined();
      expect(loadAppConfig({ BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'long enough' }).bootstrap.clientId).toBeUndefined();
    });
  });

  describe('bootstrap client secret', () => {
    it('32 characters is enough', () => {
      expect(loadAppConfig({ BOOTSTRAP_CLIENT_ID: 'app', BOOTSTRAP_CLIENT_SECRET: SECRET_32 }).bootstrap.clientSecret).toBe(SECRET_32);
    });

    it('31 characters is refused', () => {
      expectOneLineNaming(
        configError({ BOOTSTRAP_CLIENT_ID: 'app', BOOTSTRAP_CLIENT_SECRET: 'x'.repeat(31) }),
        'BOOTSTRAP_CLIENT_SECRET',
        /at least 32 characters/,
      );
    });

    it.each(['ab', 'has space', 'x'.repeat(65), 'slash/no'])('client id %s is refused', (clientId) => {
      expectOneLineNaming(configError({ BOOTSTRAP_CLIENT_ID: clientId, BOOTSTRAP_CLIENT_SECRET: SECRET_32 }), 'BOOTSTRAP_CLIENT_ID');
    });
  });

  describe('bootstrap admin credentials follow the user policy', () => {
    const admin = (username: string, password: string) => ({
      BOOTSTRAP_ADMIN_USERNAME: username,
      BOOTSTRAP_ADMIN_PASSWORD: password,
    });

    it('8 characters is enough', () => {
      expect(loadAppConfig(admin('root', '12345678')).bootstrap.adminPassword).toBe('12345678');
    });

    it('7 characters is refused', () => {
      expectOneLineNaming(configError(admin('root', '1234567')), 'BOOTSTRAP_ADMIN_PASSWORD', /at least 8 characters/);
    });

    it('characters are counted, not bytes: 8 emoji pass, 7 do not', () => {
      expect(() => loadAppConfig(admin('root', '\u{1F511}'.repeat(8)))).not.toThrow();
      expectOneLineNaming(configError(admin('root', '\u{1F511}'.repeat(7))), 'BOOTSTRAP_ADMIN_PASSWORD', /at least 8/);
    });

    it('more than 72 UTF-8 bytes is refused rather than silently truncated by bcrypt', () => {
      expect(() => loadAppConfig(admin('root', 'a'.repeat(72)))).not.toThrow();
      expectOneLineNaming(configError(admin('root', 'a'.repeat(73))), 'BOOTSTRAP_ADMIN_PASSWORD', /72 bytes/);
      // 37 characters, 74 bytes
      expectOneLineNaming(configError(admin('root', '\u00e9'.repeat(37))), 'BOOTSTRAP_ADMIN_PASSWORD', /72 bytes/);
    });

    it('a NUL character is refused', () => {
      expectOneLineNaming(configError(admin('root', 'abcdefgh\0ij')), 'BOOTSTRAP_ADMIN_PASSWORD', /NUL/);
    });

    it.each(['ab', 'has space', 'x'.repeat(65), 'semi;colon'])('username %s is refused', (username) => {
      expectOneLineNaming(configError(admin(username, 'a-good-password')), 'BOOTSTRAP_ADMIN_USERNAME');
    });
  });
});
