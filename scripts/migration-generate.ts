/**
 * npm run migration:generate -- <Name>
 *
 * Writes one migration per dialect (SQLite and PostgreSQL) taking the schema
 * from what the existing migrations build to what the entities describe, and
 * registers both in src/database/migrations/index.ts. Each dialect is diffed
 * on a scratch database created for the purpose and dropped afterwards.
 * PostgreSQL: MIGRATION_POSTGRES_URL, else TEST_DATABASE_URL, else the local default.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Query } from 'typeorm/driver/Query.js';
import { dataSourceOptions, type Dialect } from '../src/database/data-source-options.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
const timestamp = Date.now();
const migrationsDir = 'src/database/migrations';

async function scratchUrl(dialect: Dialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-'));
    return { url: `sqlite:${join(dir, 'scratch.sqlite')}`, drop: async () => rmSync(dir, { recursive: true }) };
  }
  const admin = process.env.MIGRATION_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const database = `gatehouse_migrate_${randomBytes(4).toString('hex')}`;
  const adminDs = await new DataSource({ type: 'postgres', url: admin }).initialize();
  await adminDs.query(`CREATE DATABASE "${database}"`);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await adminDs.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await adminDs.destroy();
    },
  };
}

const render = (queries: Query[]) =>
  queries.map((q) => `    await queryRunner.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');

async function generate(dialect: Dialect): Promise<string | null> {
  const scratch = await scratchUrl(dialect);
  const ds = new DataSource(dataSourceOptions(scratch.url));
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) return null;
    const suffix = dialect === 'sqlite' ? 'Sqlite' : 'Postgres';
    const className = `${name}${suffix}${timestamp}`;
    const file = `${migrationsDir}/${dialect}/${timestamp}-${name}.ts`;
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        `export class ${className} implements MigrationInterface {\n` +
        `  name = '${className}';\n\n` +
        `  async up(queryRunner: QueryRunner): Promise<void> {\n${render(sql.upQueries)}\n  }\n\n` +
        `  async down(queryRunner: QueryRunner): Promise<void> {\n${render(sql.downQueries.reverse())}\n  }\n}\n`,
    );
    const index = `${migrationsDir}/index.ts`;
    const listName = dialect === 'sqlite' ? 'SQLITE_MIGRATIONS' : 'POSTGRES_MIGRATIONS';
    let source = readFileSync(index, 'utf8');
    source = `import { ${className} } from './${dialect}/${timestamp}-${name}.js';\n` + source;
    source = source.replace(new RegExp(`(export const ${listName}: Function\\[\\] = \\[)([^\\]]*)\\]`), (_m, head: string, body: string) => {
      const items = body
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return `${head}${[...items, className].join(', ')}]`;
    });
    writeFileSync(index, source);
    return file;
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const file = await generate(dialect);
  console.log(file ? `${dialect}: wrote ${file}` : `${dialect}: entities and migrations already match`);
}
