import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withClient } from '../support/database.js';
import { createScratchRepo, type ScratchRepo } from '../support/scratch-repo.js';

/**
 * `npm run migration:generate` as a developer meets it: in a copy of the
 * repository whose entities changed, first without a reachable PostgreSQL,
 * then with one.
 */
describe('npm run migration:generate', () => {
  let repo: ScratchRepo;
  const migrationFiles = () =>
    ['sqlite', 'postgres'].flatMap((dialect) => readdirSync(join(repo.dir, 'src/database/migrations', dialect)).map((file) => `${dialect}/${file}`));
  const generate = (env: Record<string, string>) => repo.run('npm', ['run', '-s', 'migration:generate', '--', 'AddNoteColor'], env);
  const server = () => process.env.TEST_DATABASE_URL!;

  beforeAll(() => {
    repo = createScratchRepo();
    const entity = 'src/resources/notes/note.entity.ts';
    repo.write(entity, repo.read(entity).replace(/\n}\n$/, "\n\n  @Column({ type: 'varchar', length: 20, nullable: true })\n  color!: string | null;\n}\n"));
  });
  afterAll(() => repo.remove());

  it('without PostgreSQL: one line saying what is needed, exit 1, and nothing written', async () => {
    const before = { files: migrationFiles(), index: repo.read('src/database/migrations/index.ts') };
    const run = await generate({ MIGRATION_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^migration:generate: the PostgreSQL half needs a PostgreSQL server, .*MIGRATION_POSTGRES_URL\. Nothing was written\.\n$/);
    expect(run.stderr).not.toMatch(/^\s*at /m);
    expect({ files: migrationFiles(), index: repo.read('src/database/migrations/index.ts') }).toEqual(before);
  });

  it('then, with PostgreSQL: both dialects written and registered in a readable index; a rerun finds nothing to do', async () => {
    const prefix = `gen_${process.pid}`;
    const run = await generate({ MIGRATION_POSTGRES_URL: server(), SCRATCH_DATABASE_PREFIX: prefix });
    expect(run.code, run.stderr).toBe(0);
    const written = migrationFiles().filter((file) => file.endsWith('-AddNoteColor.ts'));
    expect(written.map((file) => file.split('/')[0]).sort()).toEqual(['postgres', 'sqlite']);
    expect(run.stdout).toContain('sqlite: wrote');
    expect(run.stdout).toContain('postgres: wrote');
    for (const file of written) expect(repo.read(`src/database/migrations/${file}`)).toMatch(/ADD (COLUMN )?"color"|"color" varchar\(20\)/);

    // Readable: each list in timestamp order with the new migration last, every import used once.
    const index = repo.read('src/database/migrations/index.ts');
    const lists = [...index.matchAll(/export const (\w+): MigrationClass\[\] = \[([^\]]*)\]/g)].map((m) =>
      m[2]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    expect(lists).toHaveLength(2);
    for (const list of lists) {
      expect(list.at(-1)).toMatch(/^AddNoteColor(Sqlite|Postgres)\d+$/);
      const stamps = list.map((name) => Number(/(\d+)$/.exec(name)![1]));
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    }
    expect([...index.matchAll(/^import \{ (\w+) \}/gm)].map((m) => m[1]).sort()).toEqual(lists.flat().sort());
    // As CI checks every file: formatted and lint-clean as written.
    const check = await repo.run('npx', ['prettier', '--check', 'src/database/migrations']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const lint = await repo.run('npx', ['eslint', 'src/database/migrations']);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);

    // Its scratch databases were named after the prefix, and dropped.
    const left = await withClient(server(), (client) => client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]));
    expect(left.rows).toEqual([]);

    const again = await generate({ MIGRATION_POSTGRES_URL: server() });
    expect(again).toMatchObject({ code: 0, stdout: 'Entities and migrations already match on both dialects: nothing written\n' });
  });

  it('the test harness names its scratch databases after SCRATCH_DATABASE_PREFIX too', async () => {
    process.env.SCRATCH_DATABASE_PREFIX = 'harness_check';
    try {
      const database = await createTestDatabase('postgres');
      expect(new URL(database.url).pathname).toMatch(/^\/harness_check_test_[0-9a-f]{12}$/);
      await database.drop();
    } finally {
      delete process.env.SCRATCH_DATABASE_PREFIX;
    }
  });
});
