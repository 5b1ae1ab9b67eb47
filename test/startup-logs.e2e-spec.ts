import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CREDENTIALS_FILE } from '../src/bootstrap/bootstrap.service.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';
import { printed } from './support/stdout.js';

/**
 * What an operator sees when starting the compiled server: JSON lines in
 * production, readable ones in development, the address to use only once the
 * server listens, and generated credentials never in a log.
 */

const STACK_FRAME = /^\s*at /m;

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  [field: string]: unknown;
}

const parseLines = (stdout: string): LogLine[] =>
  stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LogLine);

describe('start-up and request logs of the compiled server', () => {
  let database: TestDatabase;
  let workDir: string;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The working directory: on PostgreSQL the credentials file goes to its data/ folder.
    workDir = mkdtempSync(join(tmpdir(), 'gatehouse-startup-logs-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(async () => {
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<{ server: RunningServer; baseUrl: string; issuer: string }> {
    const port = await freePort();
    const issuer = `http://localhost:${port}`;
    server = spawnServer({ BCRYPT_COST: '4', DATABASE_URL: database.url, PORT: String(port), ...env }, { cwd: workDir });
    await waitForOutput(server, /Gatehouse listening on/);
    return { server, baseUrl: `http://127.0.0.1:${port}`, issuer };
  }

  const credentialsFile = () =>
    database.dialect === 'sqlite'
      ? join(dirname(database.url.slice('sqlite:'.length)), BOOTSTRAP_CREDENTIALS_FILE)
      : join(workDir, 'data', BOOTSTRAP_CREDENTIALS_FILE);

  it('production, first start: JSON lines only, migrations counted, credentials in a 0600 file and not in the log', async () => {
    const { server: running, baseUrl, issuer } = await start({ NODE_ENV: 'production' });
    const lines = parseLines(running.stdout());
    expect(running.stderr()).toBe('');

    const migrations = lines.find((line) => line.context === 'Database');
    expect(migrations?.msg).toMatch(/^Applied (\d+) of \1 migrations: \w+/);

    const file = credentialsFile();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = printed(readFileSync(file, 'utf8'));
    expect(credentials.adminPassword).toMatch(/^\S{16,}$/);
    expect(credentials.clientSecret).toMatch(/^\S{32,}$/);
    const seeded = lines.find((line) => line.context === 'BootstrapService');
    expect(seeded).toMatchObject({ level: 40, file });
    // Neither the values nor the box reach the log pipeline.
    for (const secret of [credentials.adminPassword!, credentials.clientSecret!]) expect(running.stdout()).not.toContain(secret);
    expect(running.stdout()).not.toMatch(/generated credentials \(shown once/);

    // Nest's per-route lines are debug, and the address line comes last, naming the issuer.
    expect(running.stdout()).not.toMatch(/Mapped \{/);
    expect(running.stdout()).not.toMatch(/successfully started/);
    const listening = lines.at(-1)!;
    expect(listening).toMatchObject({ level: 30, context: 'Gatehouse' });
    expect(listening.msg).toContain(`Use ${issuer}: it is the issuer`);
    expect(listening.msg).toContain(`${issuer}/.well-known/oauth-authorization-server`);

    // One line per request at info, with the route template (no id) and the request id.
    const noteId = randomUUID();
    const refused = await fetch(`${baseUrl}/notes/${noteId}?access_token=not-logged`);
    expect(refused.status).toBe(401);
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    await running.stop();
    const requests = parseLines(running.stdout()).filter((line) => line.reqId !== undefined);
    expect(requests).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: refused.headers.get('x-request-id'),
        method: 'GET',
        route: '/notes/:id',
        statusCode: 401,
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({ level: 30, method: 'GET', route: '/health', statusCode: 200 }),
    ]);
    expect(running.stdout()).not.toContain(noteId);
    expect(running.stdout()).not.toContain('not-logged');
    rmSync(file);
  });

  it('production, a later start: the schema is up to date and no credentials file is made', async () => {
    const { server: running } = await start({ NODE_ENV: 'production' });
    const lines = parseLines(running.stdout());
    expect(lines.find((line) => line.context === 'Database')?.msg).toMatch(/^Schema up to date \(\d+ migrations\)$/);
    expect(lines.some((line) => line.context === 'BootstrapService')).toBe(false);
    expect(existsSync(credentialsFile())).toBe(false);
  });

  it('LOG_LEVEL=debug shows the route mapping; LOG_LEVEL=warn still shows where to connect, and nothing else', async () => {
    const debug = await start({ NODE_ENV: 'production', LOG_LEVEL: 'debug' });
    expect(parseLines(debug.server.stdout())).toContainEqual(expect.objectContaining({ level: 20, msg: 'Mapped {/notes/:id, GET} route' }));
    await debug.server.stop();

    const quiet = await start({ NODE_ENV: 'production', LOG_LEVEL: 'warn' });
    await fetch(`${quiet.baseUrl}/health`);
    await quiet.server.stop();
    const lines = parseLines(quiet.server.stdout());
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toContain(`Use ${quiet.issuer}`);
  });

  it('development: readable lines, not JSON', async () => {
    const { server: running, issuer } = await start({});
    const listening = running
      .stdout()
      .split('\n')
      .find((line) => line.includes('Gatehouse listening on'));
    expect(listening).toMatch(
      new RegExp(`^\\[\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\] INFO: \\[Gatehouse\\] Gatehouse listening on 127\\.0\\.0\\.1:\\d+\\. Use ${issuer}: it is the issuer`),
    );
    expect(running.stdout()).not.toMatch(/^\{"level"/m);
  });

  describe('a port already taken', () => {
    let blocker: Server;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    });

    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('exits 1 with one line saying so, never a "listening" line or a stack trace', async () => {
      const running = spawnServer({ BCRYPT_COST: '4', DATABASE_URL: database.url, PORT: String(port), NODE_ENV: 'production' }, { cwd: workDir });
      const exit = await running.exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toBe(`Gatehouse failed to start: 127.0.0.1:${port} is already in use (is another server running there? stop it, or set PORT)\n`);
      expect(exit.stdout).not.toMatch(/listening|successfully started|EADDRINUSE/i);
      expect(exit.stdout + exit.stderr).not.toMatch(STACK_FRAME);
    });
  });
});
