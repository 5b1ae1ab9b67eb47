import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeSqlite, TransactionService } from './transaction.service.js';

/** The SQLite write queue: TypeORM units one after another, native units committed in groups. */
describe('TransactionService on SQLite', () => {
  let dataSource: DataSource;
  let transactions: TransactionService;
  let commits: number;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
    transactions = new TransactionService(dataSource);
    commits = 0;
    // Count the outermost transactions, each one commit.
    const db = nativeSqlite(dataSource);
    const original = db.transaction.bind(db);
    db.transaction = ((fn: () => unknown) => {
      const wrapped = original(fn);
      return (() => {
        const outermost = !db.inTransaction;
        const value = wrapped();
        if (outermost) commits++;
        return value;
      }) as never;
    }) as never;
  });
  afterEach(() => dataSource.destroy());

  const insert = (name: string) => (db: ReturnType<typeof nativeSqlite>) => db.prepare('INSERT INTO items (name) VALUES (?)').run(name).changes;
  const names = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM items ORDER BY name')).map((row) => row.name);

  it('commits the native units that arrive together in one transaction, answering each with its own result', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((name) => transactions.runNative(insert(name))));
    expect(results).toEqual([1, 1, 1]);
    expect(commits).toBe(1);
    expect(await names()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the unit that throws; the rest of its group is committed', async () => {
    const outcomes = await Promise.allSettled([
      transactions.runNative(insert('a')),
      transactions.runNative((db) => {
        insert('b')(db);
        throw new Error('refused');
      }),
      transactions.runNative(insert('a')), // duplicate key: fails on its own
      transactions.runNative(insert('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['a', 'c']);
  });

  it('lets a later unit of the group see what an earlier one wrote', async () => {
    const [, seen] = await Promise.all([
      transactions.runNative(insert('a')),
      transactions.runNative((db) => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n),
    ]);
    expect(seen).toBe(1);
  });

  it('waits for a TypeORM transaction queued before it, even one that awaits in the middle', async () => {
    const earlier = transactions.run(async (m) => {
      await m.query("INSERT INTO items (name) VALUES ('first')");
      await new Promise((resolve) => setTimeout(resolve, 20));
      await m.query("INSERT INTO items (name) VALUES ('second')");
    });
    const seen = await transactions.runNative((db) => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n);
    await earlier;
    expect(seen).toBe(2);
  });

  it('refuses to nest in a transaction opened outside the queue, rather than share its fate', async () => {
    let release!: () => void;
    const outside = dataSource.transaction(async (m) => {
      await m.query("INSERT INTO items (name) VALUES ('outside')");
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the outside transaction is open now
    await expect(transactions.runNative(insert('a'))).rejects.toThrow(/outside TransactionService/);
    release();
    await outside;
    expect(await names()).toEqual(['outside']);
  });

  it('starts a new group for units that arrive after a group was committed', async () => {
    await transactions.runNative(insert('a'));
    await transactions.runNative(insert('b'));
    expect(commits).toBe(2);
  });
});
