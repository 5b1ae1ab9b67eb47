import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/support/fixtures.js';
import { type ChildServer, startChildServer } from '../../../test/support/listening.js';
import { passwordLogin } from '../../../test/support/oauth.js';
import { REPO_ROOT } from '../../../test/support/server-process.js';
import { type Gatehouse, startGatehouse } from './support/gatehouse.js';

const LIBRARY = join(REPO_ROOT, 'libs', 'resource-server');

/** The files of the README's walk: each fenced block right after a `<!-- file: path -->` line. */
function readmeFiles(): Map<string, string> {
  const readme = readFileSync(join(LIBRARY, 'README.md'), 'utf8');
  const files = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) files.set(match[1], `${match[2]}\n`);
  return files;
}

/**
 * The README takes a new NestJS service from nothing to a guarded route; this follows it as
 * written. The one stand-in is for the network: `npm install` of the packed tarball becomes
 * unpacking it into node_modules, and the other packages are linked from the repository's.
 * Needs the library built (`npm run build`, which `npm test` runs first).
 */
describe('resource-server README: a new service from nothing to a guarded route', () => {
  let t: Gatehouse;
  let project: string;
  let service: ChildServer;

  beforeAll(async () => {
    t = await startGatehouse();
    project = mkdtempSync(join(tmpdir(), 'orders-api-'));
    // Step 2: npm pack, then what `npm install <tarball> …` leaves in node_modules.
    const tarball = execFileSync('npm', ['pack', '--workspace', '@gatehouse/resource-server', '--ignore-scripts', '--pack-destination', project, '--silent'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    const installed = join(project, 'node_modules', '@gatehouse', 'resource-server');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(project, tarball), '-C', installed, '--strip-components=1']);
    for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
      if (name.startsWith('.') || name === '@gatehouse') continue;
      symlinkSync(join(REPO_ROOT, 'node_modules', name), join(project, 'node_modules', name));
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'orders-api', type: 'module' }));
    // Steps 2–4: the files, as the README shows them.
    const files = readmeFiles();
    expect([...files.keys()].sort()).toEqual(['src/app.module.ts', 'src/main.ts', 'src/orders.controller.ts', 'tsconfig.json']);
    for (const [path, text] of files) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    // Step 5: npx tsc, then node dist/main.js.
    execFileSync(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.json')], {
      cwd: project,
      stdio: 'pipe',
    });
    service = await startChildServer(join(project, 'dist', 'main.js'), {
      GATEHOUSE_ISSUER: t.baseUrl,
      GATEHOUSE_CLIENT_ID: t.service.clientId,
      GATEHOUSE_CLIENT_SECRET: t.service.clientSecret,
      PORT: '0',
    });
  }, 180_000); // tsc on a fresh project reads every type it imports: slow on a loaded machine
  afterAll(async () => {
    await service.stop();
    await t.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('the installed package is the packed one, not a link to the source', () => {
    expect(readdirSync(join(project, 'node_modules', '@gatehouse', 'resource-server')).sort()).toEqual(['README.md', 'dist', 'package.json']);
  });

  it('serves the @Public() route without a token', async () => {
    const res = await fetch(`${service.baseUrl}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses the guarded route without a token, as Gatehouse would', async () => {
    const res = await fetch(`${service.baseUrl}/orders`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
  });

  it("serves it to a user's token with the permission, and names the user", async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user, { scope: 'notes:read' });
    const res = await fetch(`${service.baseUrl}/orders`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ orders: [], for: user.id, permissions: ['notes:read'] });
  });

  it('refuses a token whose scope lacks the permission: 403 insufficient_scope', async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user, { scope: 'notes:write' });
    const res = await fetch(`${service.baseUrl}/orders`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="notes:read"');
  });
});
