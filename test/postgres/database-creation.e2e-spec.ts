import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { scratchName, withClient } from '../support/database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from '../support/server-process.js';

/**
 * A new deployment names a database that does not exist yet: the server
 * creates it when its user may, and otherwise says, in one line, what an
 * administrator must run.
 */

const serverUrl = () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('test/postgres/ runs only where TEST_DATABASE_URL names a PostgreSQL server');
  return url;
};
const urlFor = (database: string, user?: string) => {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
};
const admin = <T>(sql: string) => withClient(serverUrl(), (client) => client.query(sql).then((r) => r.rows as T[]));

describe('a DATABASE_URL naming a PostgreSQL database that does not exist', () => {
  const cleanup: string[] = [];
  let server: RunningServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(async () => {
    for (const sql of cleanup.reverse()) await admin(sql);
  });

  async function start(databaseUrl: string): Promise<{ running: RunningServer; port: number }> {
    const port = await freePort();
    server = spawnServer({ BCRYPT_COST: '4', DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'info' });
    return { running: server, port };
  }

  it('is created at start when the user may create databases', async () => {
    const database = scratchName('created');
    cleanup.push(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    const { running, port } = await start(urlFor(database));
    await waitForOutput(running, /Gatehouse listening on/);
    expect(running.stdout()).toContain(`Created the database ${database}, which did not exist`);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(await admin(`SELECT 1 FROM pg_database WHERE datname = '${database}'`)).toHaveLength(1);
  });

  it('otherwise stops with one line giving the SQL to run, which then works', async () => {
    const database = scratchName('refused');
    const role = scratchName('role');
    await admin(`CREATE ROLE "${role}" LOGIN NOCREATEDB`);
    cleanup.push(`DROP ROLE IF EXISTS "${role}"`, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);

    const refused = await (await start(urlFor(database, role))).running.exited;
    expect(refused.code).toBe(1);
    const sql = `CREATE DATABASE "${database}" OWNER "${role}";`;
    expect(refused.stderr).toBe(
      `Gatehouse failed to start: database ${database} does not exist and user ${role} may not create it. Create it as a PostgreSQL superuser: ${sql}\n`,
    );
    expect(refused.stdout).toBe('');

    await admin(sql);
    const { running } = await start(urlFor(database, role));
    await waitForOutput(running, /Gatehouse listening on/);
    expect(running.stdout()).not.toContain('Created the database');
  });
});
