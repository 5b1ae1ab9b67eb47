import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createScratchRepo, type ScratchRepo } from './support/scratch-repo.js';
import { freePort, type RunningServer, waitForOutput } from './support/server-process.js';

/**
 * npm run start:dev, the development loop: it serves, rebuilds and restarts on
 * a change, and never clears the terminal, where the generated bootstrap
 * credentials were printed once.
 */
describe('npm run start:dev', () => {
  let repo: ScratchRepo;
  let database: TestDatabase;
  let dev: RunningServer;
  let port: number;

  beforeAll(async () => {
    repo = createScratchRepo();
    database = await createTestDatabase();
    port = await freePort();
    dev = repo.start('npm', ['run', 'start:dev'], { DATABASE_URL: database.url, PORT: String(port), BCRYPT_COST: '4' });
  });

  afterAll(async () => {
    await dev.stop();
    await database.drop();
    repo.remove();
  });

  it('serves, restarts on a change, and keeps what it printed on screen', async () => {
    await waitForOutput(dev, /Gatehouse listening on/, 150_000);
    expect(dev.stdout()).toMatch(/Gatehouse bootstrap: generated credentials/);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    const file = 'src/health/health.controller.ts';
    repo.write(file, `${repo.read(file)}\n// touched by the start:dev test\n`);
    await waitForOutput(dev, /Gatehouse listening on[\s\S]*Gatehouse listening on/, 90_000);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    // tsc's watch mode clears the screen (and the scrollback) on every change unless told not to.
    expect(dev.stdout()).not.toContain('\x1b[2J');
    expect(dev.stdout()).not.toContain('\x1b[3J');
    // As long as the waits above may take: a first watch compile alone is close to a minute on a busy machine.
  }, 250_000);
});
