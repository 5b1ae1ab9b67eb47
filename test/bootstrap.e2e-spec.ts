import bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, FIRST_PARTY_GRANT_TYPES } from '../src/clients/client.entity.js';
import { digestSecret } from '../src/clients/client-secret.js';
import { ALL_PERMISSIONS } from '../src/common/permissions.js';
import { passwordProblem } from '../src/users/credentials.policy.js';
import { User } from '../src/users/user.entity.js';
import { startApp, type StartOptions, type TestApp } from './support/app.js';
import { capturingStdout, occurrences, printed } from './support/stdout.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/** Start-up with every BOOTSTRAP_* unset: whatever is needed gets generated. */
const NO_BOOTSTRAP_ENV = {
  BOOTSTRAP_ADMIN_USERNAME: undefined,
  BOOTSTRAP_ADMIN_PASSWORD: undefined,
  BOOTSTRAP_CLIENT_ID: undefined,
  BOOTSTRAP_CLIENT_SECRET: undefined,
};

const GIVEN = {
  BOOTSTRAP_ADMIN_USERNAME: 'Root.Admin@example.com',
  BOOTSTRAP_ADMIN_PASSWORD: 'given admin p\u00e4ssword',
  BOOTSTRAP_CLIENT_ID: 'given-first-party',
  BOOTSTRAP_CLIENT_SECRET: 'given-first-party-secret-0123456789abcdef',
};

const BANNER = /Gatehouse bootstrap: generated credentials/;

interface Started {
  t: TestApp;
  /** Everything written to stdout while the app started. */
  stdout: string;
}

async function start(options: StartOptions): Promise<Started> {
  const { result: t, stdout } = await capturingStdout(() => startApp(options));
  return { t, stdout };
}

async function users(t: TestApp): Promise<User[]> {
  return t.app
    .get(DataSource)
    .getRepository(User)
    .find({ relations: { roles: true }, order: { createdAt: 'ASC' } });
}

async function clients(t: TestApp): Promise<Client[]> {
  return t.app
    .get(DataSource)
    .getRepository(Client)
    .find({ order: { createdAt: 'ASC' } });
}

/** Every row of every table the entities map (join tables included), for before/after comparisons. */
async function snapshot(t: TestApp): Promise<Record<string, unknown[]>> {
  const dataSource = t.app.get(DataSource);
  const result: Record<string, unknown[]> = {};
  for (const meta of dataSource.entityMetadatas) {
    const order = meta.primaryColumns.map((column) => `"${column.databaseName}"`).join(', ');
    result[meta.tableName] = await dataSource.query(`SELECT * FROM "${meta.tableName}" ORDER BY ${order}`);
  }
  return result;
}

describe('bootstrap seeding', () => {
  const open: TestApp[] = [];
  const databases: TestDatabase[] = [];

  async function track(started: Promise<Started>): Promise<Started> {
    const result = await started;
    open.push(result.t);
    return result;
  }

  async function restart(t: TestApp, env: StartOptions['env']): Promise<Started> {
    open.splice(open.indexOf(t), 1);
    await t.close({ keepDatabase: true });
    return track(start({ database: t.database, env }));
  }

  afterEach(async () => {
    // Newest first: each app restores the environment it found when it started.
    for (const t of open.splice(0).reverse()) await t.close({ keepDatabase: true });
    for (const database of databases.splice(0)) await database.drop();
  });

  async function fresh(env: StartOptions['env']): Promise<Started> {
    const database = await createTestDatabase();
    databases.push(database);
    return track(start({ database, env }));
  }

  describe('on an empty database without BOOTSTRAP_*', () => {
    it('creates one admin and one approved trusted client, and prints their credentials once', async () => {
      const { t, stdout } = await fresh(NO_BOOTSTRAP_ENV);
      const shown = printed(stdout);

      expect(occurrences(stdout, 'Gatehouse bootstrap: generated credentials')).toBe(1);
      expect(shown.adminUsername).toBe('admin');
      expect(shown.adminPassword).toBeDefined();
      expect(shown.clientId).toBeDefined();
      expect(shown.clientSecret).toBeDefined();
      // Each secret appears exactly once in everything written to stdout.
      expect(occurrences(stdout, shown.adminPassword!)).toBe(1);
      expect(occurrences(stdout, shown.clientSecret!)).toBe(1);

      const [admin, ...otherUsers] = await users(t);
      expect(otherUsers).toEqual([]);
      expect(admin.username).toBe('admin');
      expect(admin.disabled).toBe(false);
      expect(admin.roles.map((role) => role.name)).toEqual(['admin']);
      // The printed password is the one stored (as a bcrypt hash of BCRYPT_COST), and it meets the policy.
      expect(admin.passwordHash).not.toContain(shown.adminPassword);
      expect(bcrypt.getRounds(admin.passwordHash)).toBe(4);
      expect(await bcrypt.compare(shown.adminPassword!, admin.passwordHash)).toBe(true);
      expect(passwordProblem(shown.adminPassword)).toBeNull();

      const [client, ...otherClients] = await clients(t);
      expect(otherClients).toEqual([]);
      expect(client).toMatchObject({
        clientId: shown.clientId,
        status: 'approved',
        trusted: true,
        ownerId: null,
        secretDigest: digestSecret(shown.clientSecret!),
      });
      expect([...client.grantTypes].sort()).toEqual([...FIRST_PARTY_GRANT_TYPES].sort());
      expect([...client.scopes].sort()).toEqual([...ALL_PERMISSIONS].sort());
      expect(shown.clientSecret!.length).toBeGreaterThanOrEqual(32);
      expect(client.secretDigest).not.toContain(shown.clientSecret);
    });

    it('seeds the admin and user roles', async () => {
      const { t } = await fresh(NO_BOOTSTRAP_ENV);
      const roles = await t.app.get(DataSource).query(`SELECT "name" FROM "roles" ORDER BY "name"`);
      expect(roles.map((row: { name: string }) => row.name)).toEqual(['admin', 'user']);
    });

    it('generates different credentials for different databases', async () => {
      const first = printed((await fresh(NO_BOOTSTRAP_ENV)).stdout);
      const second = printed((await fresh(NO_BOOTSTRAP_ENV)).stdout);
      expect(second.adminPassword).not.toBe(first.adminPassword);
      expect(second.clientSecret).not.toBe(first.clientSecret);
      expect(second.clientId).not.toBe(first.clientId);
    });
  });

  describe('restarting on a seeded database', () => {
    it('prints nothing and adds or changes nothing', async () => {
      const first = await fresh(NO_BOOTSTRAP_ENV);
      const shown = printed(first.stdout);
      const before = await snapshot(first.t);

      const second = await restart(first.t, NO_BOOTSTRAP_ENV);

      expect(second.stdout).not.toMatch(BANNER);
      expect(second.stdout).not.toContain(shown.adminPassword!);
      expect(second.stdout).not.toContain(shown.clientSecret!);
      expect(await snapshot(second.t)).toEqual(before);
      expect(await users(second.t)).toHaveLength(1);
      expect(await clients(second.t)).toHaveLength(1);
    });

    it('with BOOTSTRAP_* now set, still changes nothing: the first credentials stay the only ones', async () => {
      const first = await fresh(NO_BOOTSTRAP_ENV);
      const shown = printed(first.stdout);
      const before = await snapshot(first.t);

      const second = await restart(first.t, GIVEN);

      expect(second.stdout).not.toMatch(BANNER);
      expect(second.stdout).not.toContain(GIVEN.BOOTSTRAP_ADMIN_PASSWORD);
      expect(second.stdout).not.toContain(GIVEN.BOOTSTRAP_CLIENT_SECRET);
      expect(await snapshot(second.t)).toEqual(before);

      const [admin, ...otherUsers] = await users(second.t);
      expect(otherUsers).toEqual([]);
      expect(admin.username).toBe('admin');
      expect(await bcrypt.compare(shown.adminPassword!, admin.passwordHash)).toBe(true);
      expect(await bcrypt.compare(GIVEN.BOOTSTRAP_ADMIN_PASSWORD, admin.passwordHash)).toBe(false);

      const [client, ...otherClients] = await clients(second.t);
      expect(otherClients).toEqual([]);
      expect(client.clientId).toBe(shown.clientId);
      expect(client.secretDigest).toBe(digestSecret(shown.clientSecret!));
    });

    it('a third start is as quiet as the second', async () => {
      const first = await fresh(NO_BOOTSTRAP_ENV);
      const before = await snapshot(first.t);
      const second = await restart(first.t, NO_BOOTSTRAP_ENV);
      const third = await restart(second.t, NO_BOOTSTRAP_ENV);
      expect(third.stdout).not.toMatch(BANNER);
      expect(await snapshot(third.t)).toEqual(before);
    });
  });

  describe('on an empty database with BOOTSTRAP_* set', () => {
    it('uses exactly the given username and client_id, and prints no secret', async () => {
      const { t, stdout } = await fresh(GIVEN);

      expect(stdout).not.toMatch(BANNER);
      expect(stdout).not.toContain(GIVEN.BOOTSTRAP_ADMIN_PASSWORD);
      expect(stdout).not.toContain(GIVEN.BOOTSTRAP_CLIENT_SECRET);

      const [admin, ...otherUsers] = await users(t);
      expect(otherUsers).toEqual([]);
      expect(admin.username).toBe(GIVEN.BOOTSTRAP_ADMIN_USERNAME);
      expect(admin.roles.map((role) => role.name)).toEqual(['admin']);
      expect(await bcrypt.compare(GIVEN.BOOTSTRAP_ADMIN_PASSWORD, admin.passwordHash)).toBe(true);

      const [client, ...otherClients] = await clients(t);
      expect(otherClients).toEqual([]);
      expect(client).toMatchObject({
        clientId: GIVEN.BOOTSTRAP_CLIENT_ID,
        status: 'approved',
        trusted: true,
        secretDigest: digestSecret(GIVEN.BOOTSTRAP_CLIENT_SECRET),
      });
    });

    it('generates and prints only the pair that was left unset', async () => {
      const { t, stdout } = await fresh({
        ...NO_BOOTSTRAP_ENV,
        BOOTSTRAP_ADMIN_USERNAME: GIVEN.BOOTSTRAP_ADMIN_USERNAME,
        BOOTSTRAP_ADMIN_PASSWORD: GIVEN.BOOTSTRAP_ADMIN_PASSWORD,
      });
      const shown = printed(stdout);

      expect(occurrences(stdout, 'Gatehouse bootstrap: generated credentials')).toBe(1);
      expect(stdout).not.toContain(GIVEN.BOOTSTRAP_ADMIN_PASSWORD);
      expect(shown.adminPassword).toBeUndefined();
      expect(shown.clientSecret).toBeDefined();

      const [client] = await clients(t);
      expect(client.clientId).toBe(shown.clientId);
      expect(client.secretDigest).toBe(digestSecret(shown.clientSecret!));
      expect((await users(t)).map((user) => user.username)).toEqual([GIVEN.BOOTSTRAP_ADMIN_USERNAME]);
    });
  });
});
