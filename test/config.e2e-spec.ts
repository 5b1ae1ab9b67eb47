import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, spawnServer, type RunningServer, type ServerExit, waitForOutput } from './support/server-process.js';

/**
 * The compiled server as an operator runs it (`node dist/main.js`): a bad
 * environment stops it with exit code 1 and one line naming the variable;
 * a good one starts, migrates, seeds and serves.
 */

/** A line of a stack trace, from Node or from Nest's pretty printer. */
const STACK_FRAME = /^\s*at /m;

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gatehouse-config-e2e-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface RefusedStart extends ServerExit {
  /** What the process left in the directory of its (temp) SQLite path. */
  databaseDirEntries: string[];
}

async function runToExit(env: Record<string, string>): Promise<RefusedStart> {
  // A SQLite path under a temp dir: nothing is ever written under data/.
  const dir = mkdtempSync(join(scratch, 'db-'));
  const server = spawnServer({ LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${join(dir, 'gatehouse.sqlite')}`, ...env });
  // A server that (wrongly) starts is stopped rather than left to hang the test.
  const timer = setTimeout(() => void server.stop(), 30_000);
  try {
    const exit = await server.exited;
    return { ...exit, databaseDirEntries: readdirSync(dir) };
  } finally {
    clearTimeout(timer);
  }
}

function expectRefusedWithOneLine(exit: RefusedStart, ...variables: string[]): void {
  expect(exit.code, `stdout: ${exit.stdout}\nstderr: ${exit.stderr}`).toBe(1);
  expect(exit.stderr.endsWith('\n')).toBe(true);
  const lines = exit.stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  for (const variable of variables) expect(lines[0]).toContain(variable);
  expect(exit.stdout).toBe('');
  expect(exit.stdout + exit.stderr).not.toMatch(STACK_FRAME);
  // Refused before anything started: no database file was created.
  expect(exit.databaseDirEntries).toEqual([]);
}

// Every rule is covered by src/config/app.config.spec.ts; these check the
// wiring in main.ts. Dialect-independent, so they run in the SQLite project only.
describe('start-up with a bad environment', () => {
  it.each([
    ['BCRYPT_COST', { BCRYPT_COST: '3' }, 'BCRYPT_COST must be an integer from 4 to 15'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db'],
    ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: 'abc' }, 'ACCESS_TOKEN_TTL must be a positive integer (seconds), at most 86400'],
  ])('%s: exit 1, one line on stderr naming it, no stack trace', async (variable, env, message) => {
    const exit = await runToExit(env);
    expectRefusedWithOneLine(exit, variable);
    expect(exit.stderr).toBe(`Invalid configuration: ${message}\n`);
  });

  it('several bad variables: still one line, naming each', async () => {
    const exit = await runToExit({ BCRYPT_COST: '3', DATABASE_URL: 'mysql://x', ACCESS_TOKEN_TTL: 'abc' });
    expectRefusedWithOneLine(exit, 'BCRYPT_COST', 'DATABASE_URL', 'ACCESS_TOKEN_TTL');
  });

  it('a refused bootstrap password is named but never printed', async () => {
    const exit = await runToExit({ BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'hunter2' });
    expectRefusedWithOneLine(exit, 'BOOTSTRAP_ADMIN_PASSWORD');
    expect(exit.stderr).not.toContain('hunter2');
  });
});

describe('start-up with a good environment', () => {
  let database: TestDatabase;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    // SQLite in the e2e:sqlite project, a fresh PostgreSQL database in e2e:postgres.
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(async () => {
    await database.drop();
  });

  async function startServer(env: Record<string, string> = {}): Promise<{ port: number; server: RunningServer }> {
    const port = await freePort();
    server = spawnServer({ LOG_LEVEL: 'silent', BCRYPT_COST: '4', DATABASE_URL: database.url, PORT: String(port), ...env });
    await waitForOutput(server, /Gatehouse listening on/);
    return { port, server };
  }

  it('migrates, seeds, prints the generated credentials once and serves /health', async () => {
    const { port, server: running } = await startServer();
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });

    const out = running.stdout();
    // The address to use is the issuer (localhost), not the bound 127.0.0.1: discovery checks they match.
    expect(out).toContain(`Gatehouse listening on 127.0.0.1:${port}. Use http://localhost:${port}: it is the issuer`);
    expect(out.match(/Gatehouse bootstrap: generated credentials/g)).toHaveLength(1);
    expect(out).toMatch(/^\s*admin password:\s+\S{8,}$/m);
    expect(out).toMatch(/^\s*client_secret:\s+\S{32,}$/m);
    expect(running.stderr()).toBe('');
    if (database.dialect === 'sqlite') expect(existsSync(database.url.slice('sqlite:'.length))).toBe(true);

    const exit = await running.stop();
    // Nest closes the app on SIGTERM, then lets the signal end the process.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(exit.stdout + exit.stderr).not.toMatch(STACK_FRAME);
  });

  it('a second start on the same database prints no credentials', async () => {
    // Runs after the test above, on the database it seeded.
    const { server: running } = await startServer();
    expect(running.stdout()).not.toMatch(/generated credentials|password|client_secret/);
    expect(running.stderr()).toBe('');
  });
});
