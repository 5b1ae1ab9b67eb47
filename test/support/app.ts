import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createAdapter } from '../../src/app.setup.js';
import { type AppConfig, loadAppConfig } from '../../src/config/app.config.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePort, keyEncryptionEnv } from './server-process.js';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export const FIRST_PARTY = { clientId: 'first-party-test', clientSecret: 'first-party-secret-for-tests-0123456789' };
export { TEST_KEY_ENCRYPTION_SECRET } from './server-process.js';

/** What every test app runs with unless a test says otherwise. */
const BASE_ENV: Record<string, string> = {
  BCRYPT_COST: '4',
  LOG_LEVEL: 'silent',
  ISSUER: 'http://gatehouse.test',
  BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  BOOTSTRAP_CLIENT_ID: FIRST_PARTY.clientId,
  BOOTSTRAP_CLIENT_SECRET: FIRST_PARTY.clientSecret,
};

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  /** supertest against the in-process server */
  http: () => TestAgent;
  /** Closes the app; drops the database unless `keepDatabase`. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Reuse a database (e.g. to restart on it); a fresh one otherwise. */
  database?: TestDatabase;
}

/** Boots the real AppModule on a fresh database, configured exactly as main.ts does. */
export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const env = { ...BASE_ENV, DATABASE_URL: database.url, ...keyEncryptionEnv(database.url), ...redisEnv(database), ...options.env };
  const restoreEnv = applyEnv(env);
  try {
    const config = loadAppConfig(process.env);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config));
    await configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      config,
      database,
      http: () => request(app.getHttpServer()),
      async close({ keepDatabase = false } = {}) {
        await app.close();
        restoreEnv();
        if (!keepDatabase) await database.drop();
      },
    };
  } catch (error) {
    restoreEnv();
    if (!options.database) await database.drop();
    throw error;
  }
}

/**
 * The PostgreSQL run is the scale-out configuration: it also uses Redis
 * (TEST_REDIS_URL), each app under its own key prefix so test files running
 * in parallel never share counters or channels.
 */
function redisEnv(database: TestDatabase): Record<string, string> {
  const url = process.env.TEST_REDIS_URL;
  if (!url || database.dialect !== 'postgres') return {};
  return { REDIS_URL: url, REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` };
}

function applyEnv(env: Record<string, string | undefined>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(env)) {
    previous.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** Like startApp, but listening on a real port with ISSUER set to match, for clients that use fetch. */
export async function startListeningApp(options: StartOptions = {}): Promise<TestApp & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await startApp({ ...options, env: { ISSUER: baseUrl, ...options.env } });
  await t.app.listen(port, '127.0.0.1');
  return { ...t, baseUrl };
}
