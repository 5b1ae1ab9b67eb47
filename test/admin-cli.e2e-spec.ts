import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startApp } from './support/app.js';
import { runAdmin } from './support/admin-cli.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { basic, expectStatus, tokenRequest } from './support/oauth.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';

const STACK_FRAME = /^\s*at /m;

/**
 * npm run admin, run as an operator would (the compiled CLI, the server's
 * environment) next to a running server on the same database, without Redis:
 * what it changes must reach that server.
 */
describe('the admin CLI', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let baseUrl: string;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The server's environment, METRICS_PORT included: the CLI must not try to serve metrics on the server's port.
    cliEnv = { DATABASE_URL: database.url, BCRYPT_COST: '4', METRICS_PORT: String(await freePort()) };
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawnServer({
      ...cliEnv,
      PORT: String(port),
      ISSUER: baseUrl,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      BOOTSTRAP_CLIENT_ID: FIRST_PARTY.clientId,
      BOOTSTRAP_CLIENT_SECRET: FIRST_PARTY.clientSecret,
    });
    await waitForOutput(server, /Gatehouse listening on/);
  });

  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const admin = (args: string[], stdin?: string) => runAdmin(args, cliEnv, stdin);

  async function passwordGrant(username: string, password: string): Promise<{ status: number; body: Record<string, string> }> {
    const res = await fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: basic(FIRST_PARTY), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  const adminToken = async () => (await passwordGrant(ADMIN.username, ADMIN.password)).body.access_token;

  it('help lists every command; a command line it cannot run is exit 2 with the usage', async () => {
    const help = await admin(['help']);
    expect(help.code).toBe(0);
    for (const command of ['create-user', 'reset-password', 'create-client', 'rotate-keys', 'help']) expect(help.stdout).toContain(command);
    for (const [args, reason] of [
      [['launch'], 'unknown command: launch'],
      [['create-user'], 'create-user takes one argument'],
      [['create-client', 'Reports'], 'create-client needs at least one --scope'],
      [['rotate-keys', '--role', 'admin'], 'rotate-keys does not take --role'],
      [['create-user', 'alice', '--password', 'on-the-command-line'], "Unknown option '--password'"],
    ] as const) {
      const run = await admin([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toContain(reason);
      expect(run.stderr).toContain('Usage: npm run admin');
    }
  });

  it('create-user refuses what POST /admin/users refuses, in the same words, and exit 1', async () => {
    const token = await adminToken();
    const cases = [
      { username: 'weak-user', password: 'short' },
      { username: 'long-user', password: 'é'.repeat(37) },
      { username: 'x', password: 'a good long password' },
    ];
    for (const input of cases) {
      const api = await fetch(`${baseUrl}/admin/users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...input, roles: ['user'] }),
      });
      expect(api.status).toBe(400);
      const { message } = (await api.json()) as { message: string[] };
      const cli = await admin(['create-user', input.username], `${input.password}\n`);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toBe(`admin: ${message.join('; ')}\n`);
      expect(cli.stdout).toBe('');
    }
  });

  it('create-user: the running server lets the new user sign in at once; a taken name is exit 1', async () => {
    const created = await admin(['create-user', 'carol', '--json'], 'carol has a good password\n');
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ user: expect.objectContaining({ username: 'carol', roles: ['user'], disabled: false }) });
    expect(created.stdout).not.toContain('carol has a good password');
    expect((await passwordGrant('carol', 'carol has a good password')).status).toBe(200);

    const again = await admin(['create-user', 'Carol'], 'another good password\n');
    expect(again).toMatchObject({ code: 1, stderr: 'admin: Username Carol is taken\n' });
  });

  it('reset-password: the generated password works at once, the old one no longer, and it is printed once', async () => {
    await admin(['create-user', 'dave', '--role', 'user'], 'dave the first password\n');
    const reset = await admin(['reset-password', 'dave', '--generate-password']);
    expect(reset.code, reset.stderr).toBe(0);
    const password = /^\s*password: (\S+)/m.exec(reset.stdout)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(reset.stdout.split(password!)).toHaveLength(2);
    expect((await passwordGrant('dave', 'dave the first password')).body.error).toBe('invalid_grant');
    expect((await passwordGrant('dave', password!)).status).toBe(200);

    expect(await admin(['reset-password', 'nobody'], 'a good long password\n')).toMatchObject({ code: 1, stderr: 'admin: User nobody not found\n' });
    expect(await admin(['reset-password', 'dave'], '')).toMatchObject({ code: 1, stderr: expect.stringContaining('no password on stdin') });
  });

  it('create-client: an approved machine client for client_credentials, its secret printed once', async () => {
    const created = await admin(['create-client', 'Nightly report', '--scope', 'inventory:read', '--scope', 'reports:read', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { client_id, client_secret } = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
    expect(client_secret).toMatch(/^[\w-]{43}$/);

    const list = await fetch(`${baseUrl}/admin/clients`, { headers: { Authorization: `Bearer ${await adminToken()}` } });
    const listed = ((await list.json()) as { items: Record<string, unknown>[] }).items.find((client) => client.client_id === client_id);
    expect(listed).toMatchObject({
      name: 'Nightly report',
      status: 'approved',
      grant_types: ['client_credentials'],
      scopes: ['inventory:read', 'reports:read'],
      trusted: false,
      has_secret: true,
      owner_id: null,
    });
    expect(JSON.stringify(listed)).not.toContain(client_secret);

    // A server started now (the running one learns of it within its registry reload) issues it tokens.
    const t = await startApp({ database });
    try {
      const machine = { clientId: client_id, clientSecret: client_secret };
      const token = await tokenRequest(t, { grant_type: 'client_credentials' }, machine);
      expectStatus(token, 200);
      expect(token.body.scope).toBe('inventory:read reports:read');
      expect((await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: ADMIN.password }, machine)).body.error).toBe(
        'unauthorized_client',
      );
    } finally {
      await t.close({ keepDatabase: true });
    }

    expect(await admin(['create-client', 'Too much', '--scope', 'launch:missiles'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^admin: each of scopes must be one of: /),
    });
  });

  it('rotate-keys: the running server signs with the new key within a second or two, and the old key keeps verifying', async () => {
    const before = await adminToken();
    const oldKid = decodeProtectedHeader(before).kid;
    const rotated = await admin(['rotate-keys', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { kid, retired } = JSON.parse(rotated.stdout) as { kid: string; retired: string[] };
    expect(retired).toEqual([oldKid]);

    const rotatedAt = Date.now();
    let signedWith = oldKid;
    while (signedWith !== kid && Date.now() - rotatedAt < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      signedWith = decodeProtectedHeader(await adminToken()).kid;
    }
    expect(signedWith).toBe(kid);
    // Before this change a running server took up to a minute.
    expect(Date.now() - rotatedAt).toBeLessThan(3_000);
    expect((await fetch(`${baseUrl}/me`, { headers: { Authorization: `Bearer ${before}` } })).status).toBe(200);
  });

  it('a bad environment or an unreachable database: exit 1 and one line, no stack trace', async () => {
    const badEnv = await runAdmin(['rotate-keys'], { ...cliEnv, BCRYPT_COST: '3' });
    expect(badEnv).toMatchObject({ code: 1, stdout: '', stderr: 'admin: Invalid configuration: BCRYPT_COST must be an integer from 4 to 15\n' });
    const unreachable = await runAdmin(['rotate-keys'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/gatehouse' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^admin: .*ECONNREFUSED/);
    expect(unreachable.stderr).not.toMatch(STACK_FRAME);
  });
});
