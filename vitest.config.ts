import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * Unit specs sit beside the code; e2e specs in test/ boot the real AppModule.
 * The e2e suite runs on SQLite always, and again on PostgreSQL (with Redis)
 * when TEST_DATABASE_URL is set; the global setup fails the run if a service
 * that was named cannot be reached.
 */
const e2eDialects = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];
/** Several server processes on one PostgreSQL and one Redis: only where both exist (CI has them). */
const scaleOut = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

// SWC instead of esbuild: Nest's dependency injection needs decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2023' } })];
/** The resource-server library is tested from its source, under the name its users import (tsconfig.json's `paths` says the same). */
const resolve = { alias: { '@gatehouse/resource-server': fileURLToPath(new URL('libs/resource-server/src/index.ts', import.meta.url)) } };

export default defineConfig({
  plugins,
  resolve,
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        plugins,
        test: { name: 'unit', include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'], environment: 'node' },
      },
      {
        plugins,
        resolve,
        test: { name: 'lib', include: ['libs/*/src/**/*.spec.ts'], environment: 'node' },
      },
      ...e2eDialects.map((dialect) => ({
        plugins,
        resolve,
        test: {
          name: `e2e:${dialect}`,
          // The libraries' integration specs start a real Gatehouse, so they run with the e2e suite, on both dialects.
          include: ['test/**/*.e2e-spec.ts', 'libs/*/test/**/*.e2e-spec.ts'],
          // test/postgres/: what only a PostgreSQL server can show (database creation, the
          // migration generator), so only where one is named.
          exclude: ['test/scale-out/**', ...(dialect === 'sqlite' ? ['test/postgres/**'] : [])],
          environment: 'node',
          env: { TEST_DIALECT: dialect },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      })),
      ...(scaleOut
        ? [
            {
              plugins,
              test: { name: 'scale-out', include: ['test/scale-out/**/*.e2e-spec.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 },
            },
          ]
        : []),
    ],
  },
});
