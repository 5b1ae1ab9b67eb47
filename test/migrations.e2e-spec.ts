import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/database/entities.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../src/database/migrations/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/**
 * The schema only ever changes through migrations (synchronize is never on),
 * so for the dialect this project runs on: the migrations build the whole
 * schema from nothing, that schema is exactly what the entities describe
 * (the drift check), and every migration can be undone and redone.
 */
describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  });

  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const isPostgres = () => dataSource.options.type === 'postgres';

  async function tables(): Promise<string[]> {
    const rows: { name: string }[] = isPostgres()
      ? await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
    return rows.map((row) => row.name).sort();
  }

  /** Indexes other than those backing the migrations table's own keys. */
  async function indexes(): Promise<string[]> {
    const rows: { name: string }[] = isPostgres()
      ? await dataSource.query(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename <> 'migrations'`)
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name <> 'migrations' AND name NOT LIKE 'sqlite_%'`);
    return rows.map((row) => row.name).sort();
  }

  /** PostgreSQL only: sequences and types a table drop could leave behind. */
  async function postgresLeftovers(): Promise<string[]> {
    const rows: { name: string }[] = await dataSource.query(
      `SELECT sequence_name AS name FROM information_schema.sequences
         WHERE sequence_schema = current_schema() AND sequence_name NOT LIKE 'migrations%'
       UNION ALL
       SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = current_schema() AND t.typtype = 'e'`,
    );
    return rows.map((row) => row.name);
  }

  async function drift(): Promise<string[]> {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  }

  async function undoAll(): Promise<number> {
    let undone = 0;
    // One more round than there are migrations proves the loop ends on its own.
    const executed = async () => Number((await dataSource.query('SELECT COUNT(*) AS n FROM migrations'))[0].n);
    while ((await executed()) > 0 && undone <= dataSource.migrations.length) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      undone += 1;
    }
    return undone;
  }

  it('a fresh database has no tables and every migration pending', async () => {
    expect(await tables()).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('run from empty, they build exactly the schema the entities describe', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(dataSource.migrations.map((m) => m.name));
    expect(await dataSource.showMigrations()).toBe(false);

    const entityTables = dataSource.entityMetadatas.map((meta) => meta.tableName);
    expect(await tables()).toEqual([...new Set([...entityTables, 'migrations'])].sort());

    // Drift: any difference between entities and the migrated schema of this
    // dialect shows up as SQL TypeORM would run to reconcile them.
    expect(await drift()).toEqual([]);
  });

  it('the drift check notices a difference (so an empty result above means something)', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const [someIndex] = await indexes();
    expect(someIndex).toBeDefined();
    await dataSource.query(`DROP INDEX "${someIndex}"`);
    const sql = await drift();
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.join('\n')).toContain(someIndex);
  });

  it('running them again is a no-op', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
  });

  it('every migration can be undone, leaving only the migrations table, and run again', async () => {
    await dataSource.runMigrations({ transaction: 'each' });

    expect(await undoAll()).toBe(dataSource.migrations.length);
    expect(await tables()).toEqual(['migrations']);
    expect(await indexes()).toEqual([]);
    expect(await dataSource.query(`SELECT * FROM "migrations"`)).toEqual([]);
    if (isPostgres()) expect(await postgresLeftovers()).toEqual([]);

    const reapplied = await dataSource.runMigrations({ transaction: 'each' });
    expect(reapplied).toHaveLength(dataSource.migrations.length);
    expect(await drift()).toEqual([]);
  });

  it('a migrated table stores and reads back an entity through its column transformers', async () => {
    // A smoke check that the migrated tables are usable through the entities
    // (e.g. BIGINT epoch-ms instants and JSON text columns round-trip).
    await dataSource.runMigrations({ transaction: 'each' });
    const now = new Date(1_795_607_489_601);
    await dataSource.getRepository('Role').insert({ name: 'r', permissions: ['notes:read'], createdAt: now, updatedAt: now });
    const role = await dataSource.getRepository('Role').findOneByOrFail({ name: 'r' });
    expect(role).toMatchObject({ name: 'r', permissions: ['notes:read'], createdAt: now, updatedAt: now });
  });
});

describe('migration lists', () => {
  const stamp = (migration: { name: string }) => /(\d{13})$/.exec(migration.name)?.[1];

  it('every migration exists for both dialects, in the same order', () => {
    expect(SQLITE_MIGRATIONS.map(stamp)).toEqual(POSTGRES_MIGRATIONS.map(stamp));
    expect(SQLITE_MIGRATIONS.every((m) => stamp(m) !== undefined)).toBe(true);
  });

  it('are in timestamp order', () => {
    const stamps = SQLITE_MIGRATIONS.map((m) => Number(stamp(m)));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it('the entity list names every entity once', () => {
    expect(new Set(ENTITIES).size).toBe(ENTITIES.length);
  });
});
