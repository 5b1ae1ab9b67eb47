import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createScratchRepo, type ScratchRepo } from './support/scratch-repo.js';
import { freePort } from './support/server-process.js';
import { occurrences } from './support/stdout.js';

/**
 * npm run start:dev, the development loop: it serves, rebuilds and restarts on
 * a change, and never clears the terminal, where the generated bootstrap
 * credentials were printed once.
 */
describe('npm run start:dev', () => {
  let repo: ScratchRepo;
  let database: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let port: number;

  beforeAll(async () => {
    repo = createScratchRepo();
    database = await createTestDatabase();
    port = await freePort();
    // Its own process group (npm, nest, the server), so that all of it can be stopped together.
    child = spawn('npm', ['run', 'start:dev'], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: database.url, PORT: String(port), BCRYPT_COST: '4' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  });

  /** Polls until the server has said it listens `times` times; fails with everything printed so far. */
  async function listened(times: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (occurrences(output, 'Gatehouse listening on') < times) {
      if (Date.now() > deadline) throw new Error(`not listening ${times} times within ${timeoutMs} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  afterAll(async () => {
    if (child.pid) {
      const ended = new Promise((resolve) => child.once('close', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await ended;
    }
    await database.drop();
    repo.remove();
  });

  it('serves, restarts on a change, and keeps what it printed on screen', async () => {
    await listened(1, 150_000);
    expect(output).toMatch(/Gatehouse bootstrap: generated credentials/);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    const file = 'src/health/health.controller.ts';
    repo.write(file, `${repo.read(file)}\n// touched by the start:dev test\n`);
    await listened(2, 90_000);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    // tsc's watch mode clears the screen (and the scrollback) on every change unless told not to.
    expect(output).not.toContain('\x1b[2J');
    expect(output).not.toContain('\x1b[3J');
  });
});
