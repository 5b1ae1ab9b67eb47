import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createScratchRepo, type ScratchRepo } from './support/scratch-repo.js';
import { freePort, type RunningServer, waitForOutput } from './support/server-process.js';
import { printed } from './support/stdout.js';

const README = new URL('../README.md', import.meta.url);

/** The README's tour: the shell block under its `<!-- guide: run -->` comment. */
function tour(): string {
  const match = /<!-- guide: run -->\s*\n```sh\n([\s\S]*?)\n```/.exec(readFileSync(README, 'utf8'));
  if (!match) throw new Error('README.md has no <!-- guide: run --> block');
  return match[1];
}

/**
 * The newcomer's first hour, as the README tells it: `npm start` in a fresh
 * copy of the repository, the credentials and the address taken from what it
 * printed, then the curl-and-jq tour run exactly as written. In the PostgreSQL
 * project the same, on a new PostgreSQL database.
 */
describe('the README: quick start, then the tour', () => {
  let repo: ScratchRepo;
  let database: TestDatabase | undefined;
  let server: RunningServer;

  beforeAll(async () => {
    try {
      execFileSync('jq', ['--version']);
    } catch {
      throw new Error('the README tour needs jq: apt-get install -y jq (.ci/run installs it)');
    }
    repo = createScratchRepo();
    // SQLite: the quick start's own default, data/gatehouse.sqlite in the copy.
    database = process.env.TEST_DIALECT === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const port = await freePort();
    server = repo.start('npm', ['start'], { PORT: String(port), BCRYPT_COST: '4', ...(database && { DATABASE_URL: database.url }) });
    await waitForOutput(server, /Gatehouse listening on/, 180_000);
  }, 200_000);

  afterAll(async () => {
    await server.stop();
    await database?.drop();
    repo.remove();
  });

  it('runs as written, each step showing what the README says it shows', async () => {
    const output = server.stdout();
    const issuer = /Use (http:\/\/\S+): it is the issuer/.exec(output)?.[1];
    expect(issuer).toMatch(/^http:\/\/localhost:\d+$/);
    const credentials = printed(output);
    const env = {
      GATEHOUSE: issuer!,
      CLIENT_ID: credentials.clientId!,
      CLIENT_SECRET: credentials.clientSecret!,
      ADMIN_PASSWORD: credentials.adminPassword!,
    };
    const run = await repo.run('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', tour()], env);
    expect(run.code, run.stderr).toBe(0);
    const shown = run.stdout;

    expect(shown).not.toMatch(/"error"|null/);
    expect(shown).toContain(`"issuer": "${issuer}"`);
    expect(shown).toContain('"use": "sig"');
    expect(shown).toContain('"token_type": "Bearer"');
    expect(shown).toContain('"username": "admin"');
    expect(shown).toContain('"title": "First note"');
    const active = shown.indexOf('"active": true');
    const inactive = shown.indexOf('"active": false');
    expect(active).toBeGreaterThan(0);
    expect(inactive).toBeGreaterThan(active);
    expect(shown).toContain('GET /me with the revoked token: 401');
    expect(shown).toContain('"status": "approved"');
    expect(shown).toMatch(/"sku": "\S+"/);
  });
});
