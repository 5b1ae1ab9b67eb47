/**
 * npm run migration:generate -- <Name>
 *
 * Writes one migration per dialect (SQLite and PostgreSQL) taking the schema
 * from what the existing migrations build to what the entities describe, and
 * rewrites src/database/migrations/index.ts from the two folders. Each dialect
 * is diffed on a scratch database made for the purpose and dropped afterwards
 * (named after SCRATCH_DATABASE_PREFIX, like the tests'). The PostgreSQL half
 * needs a server: MIGRATION_POSTGRES_URL, else TEST_DATABASE_URL, else the
 * local default.
 *
 * All or nothing: both dialects are diffed before anything is written, so a
 * failure (PostgreSQL unreachable, say) leaves the tree as it was and a rerun
 * starts from the same place.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { DataSource } from 'typeorm';
import type { Query } from 'typeorm/driver/Query.js';
import { dataSourceOptions, type Dialect } from '../src/database/data-source-options.js';
import { createScratchDatabase } from '../test/support/database.js';

const MIGRATIONS_DIR = 'src/database/migrations';
const DIALECTS = [
  { dialect: 'sqlite', suffix: 'Sqlite', list: 'SQLITE_MIGRATIONS' },
  { dialect: 'postgres', suffix: 'Postgres', list: 'POSTGRES_MIGRATIONS' },
] as const;
const postgresServer = () => process.env.MIGRATION_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Said to the developer in one line, instead of a stack trace. */
class GenerationError extends Error {}

interface Diff {
  up: Query[];
  down: Query[];
}

/** What the entities need beyond what the existing migrations build, on a scratch database of `dialect`. */
async function diff(dialect: Dialect): Promise<Diff> {
  let scratch;
  try {
    scratch = await createScratchDatabase(dialect, { serverUrl: postgresServer(), purpose: 'migrate' });
  } catch (error) {
    const server = new URL(postgresServer());
    server.password = server.password && '***';
    throw new GenerationError(
      `the PostgreSQL half needs a PostgreSQL server, and ${server.toString()} could not be used (${(error as Error).message}); ` +
        'start one, or name one in MIGRATION_POSTGRES_URL',
    );
  }
  const dataSource = new DataSource(dataSourceOptions(scratch.url));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries, down: sql.downQueries.reverse() };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await scratch.drop();
  }
}

const render = (queries: Query[]) =>
  queries.map((q) => `    await queryRunner.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');

function migrationSource(className: string, { up, down }: Diff): string {
  return (
    `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
    `export class ${className} implements MigrationInterface {\n` +
    `  name = '${className}';\n\n` +
    `  async up(queryRunner: QueryRunner): Promise<void> {\n${render(up)}\n  }\n\n` +
    `  async down(queryRunner: QueryRunner): Promise<void> {\n${render(down)}\n  }\n}\n`
  );
}

interface Output {
  path: string;
  content: string;
}

/** The index, rebuilt from the migration folders plus the files about to be written: by dialect, in timestamp order. */
function indexSource(pending: Output[]): string {
  const imports: string[] = [];
  const lists = DIALECTS.map(({ dialect, list }) => {
    const folder = join(MIGRATIONS_DIR, dialect);
    const sources = new Map(readdirSync(folder).map((file) => [file, () => readFileSync(join(folder, file), 'utf8')]));
    for (const output of pending) if (output.path.startsWith(`${folder}/`)) sources.set(output.path.slice(folder.length + 1), () => output.content);
    const files = [...sources.keys()].filter((file) => /^\d+-\w+\.ts$/.test(file)).sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]));
    const classes = files.map((file) => {
      const className = /export class (\w+)/.exec(sources.get(file)!())?.[1];
      if (!className) throw new GenerationError(`${dialect}/${file} exports no migration class`);
      imports.push(`import { ${className} } from './${dialect}/${file.replace(/\.ts$/, '.js')}';`);
      return className;
    });
    return `export const ${list}: MigrationClass[] = [\n${classes.map((name) => `  ${name},`).join('\n')}\n];`;
  });
  return (
    `import type { MigrationInterface } from 'typeorm';\n${imports.join('\n')}\n\n` +
    '/**\n' +
    ' * Migrations are listed as classes, not globs, so the same list works from the\n' +
    ' * compiled app, the test runner and the TypeORM CLI. `npm run migration:generate`\n' +
    ' * rewrites this file from the two folders, in timestamp order.\n' +
    ' */\n' +
    "/** What TypeORM's `migrations` option takes: the migration classes themselves. */\n" +
    'type MigrationClass = new () => MigrationInterface;\n\n' +
    `${lists.join('\n')}\n`
  );
}

const formatted = async (path: string, source: string): Promise<Output> => ({
  path,
  content: await format(source, { ...(await resolveConfig(path)), filepath: path }),
});

/** Writes every output or, if one write fails, puts back what was there. */
function writeAll(outputs: Output[]): void {
  const before = outputs.map(({ path }) => ({ path, content: readOrNull(path) }));
  try {
    for (const { path, content } of outputs) writeFileSync(path, content);
  } catch (error) {
    for (const { path, content } of before) {
      if (content === null) rmSync(path, { force: true });
      else writeFileSync(path, content);
    }
    throw error;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

async function main(name: string | undefined): Promise<void> {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write('usage: npm run migration:generate -- <PascalCaseName>\n');
    process.exit(2);
  }
  const diffs = new Map<Dialect, Diff>();
  for (const { dialect } of DIALECTS) diffs.set(dialect, await diff(dialect));
  if ([...diffs.values()].every((d) => d.up.length === 0)) {
    process.stdout.write('Entities and migrations already match on both dialects: nothing written\n');
    return;
  }
  const timestamp = Date.now();
  const migrations: Output[] = [];
  for (const { dialect, suffix } of DIALECTS) {
    const changes = diffs.get(dialect)!;
    if (changes.up.length > 0) {
      migrations.push(await formatted(join(MIGRATIONS_DIR, dialect, `${timestamp}-${name}.ts`), migrationSource(`${name}${suffix}${timestamp}`, changes)));
    }
  }
  const index = await formatted(join(MIGRATIONS_DIR, 'index.ts'), indexSource(migrations));
  writeAll([...migrations, index]);
  for (const { dialect } of DIALECTS) {
    const written = migrations.find((output) => output.path.includes(`/${dialect}/`));
    process.stdout.write(written ? `${dialect}: wrote ${written.path}\n` : `${dialect}: already matches, no migration needed\n`);
  }
  process.stdout.write(`registered in ${index.path}\n`);
}

main(process.argv[2]).catch((error: unknown) => {
  const message = error instanceof GenerationError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`migration:generate: ${message}. Nothing was written.\n`);
  process.exit(1);
});
