import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/clients/client.entity.js';
import { User } from '../../src/users/user.entity.js';
import { startApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { capturingStdout, occurrences, printed } from '../support/stdout.js';

/**
 * N instances may start together on one empty PostgreSQL database; the
 * startup lock must let exactly one of them seed it, and generated
 * credentials must be printed once in all, by that one.
 */
describe('instances starting together on one empty database', () => {
  const apps: TestApp[] = [];
  let database: TestDatabase;
  afterAll(async () => {
    for (const t of apps.reverse()) await t.close({ keepDatabase: true });
    await database?.drop();
  });

  it('seed it once and print the generated credentials once', async () => {
    database = await createTestDatabase('postgres');
    const unset = {
      BOOTSTRAP_ADMIN_USERNAME: undefined,
      BOOTSTRAP_ADMIN_PASSWORD: undefined,
      BOOTSTRAP_CLIENT_ID: undefined,
      BOOTSTRAP_CLIENT_SECRET: undefined,
    };
    const { result, stdout } = await capturingStdout(() => Promise.all([1, 2, 3].map(() => startApp({ database, env: unset }))));
    apps.push(...result);
    expect(occurrences(stdout, 'Gatehouse bootstrap: generated credentials')).toBe(1);
    const shown = printed(stdout);
    for (const t of apps) {
      const ds = t.app.get(DataSource);
      expect((await ds.getRepository(User).find()).map((user) => user.username)).toEqual(['admin']);
      expect((await ds.getRepository(Client).find()).map((client) => client.clientId)).toEqual([shown.clientId]);
    }
  });
});
