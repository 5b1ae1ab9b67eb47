import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransactionService } from './transaction.service.js';

class Refused extends Error {}

/** The SQLite write queue: units one after another, each all or nothing. */
describe('TransactionService on SQLite', () => {
  let dataSource: DataSource;
  let transactions: TransactionService;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    await dataSource.query('CREATE TABLE items (name TEXT PRIMARY KEY)');
    transactions = new TransactionService(dataSource);
  });
  afterEach(() => dataSource.destroy());

  const names = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM items ORDER BY name')).map((row) => row.name);

  it('runs a unit queued after one that awaits in the middle only once that one has committed', async () => {
    const earlier = transactions.run(async (m) => {
      await m.query("INSERT INTO items (name) VALUES ('first')");
      await new Promise((resolve) => setTimeout(resolve, 20));
      await m.query("INSERT INTO items (name) VALUES ('second')");
    });
    const seen = await transactions.run(async (m) => (await m.query<{ n: number }[]>('SELECT count(*) AS n FROM items'))[0].n);
    await earlier;
    expect(seen).toBe(2);
  });

  it('rolls back only the unit that throws, never one queued beside it', async () => {
    const outcomes = await Promise.allSettled([
      transactions.run((m) => m.query("INSERT INTO items (name) VALUES ('a')")),
      transactions.run(async (m) => {
        await m.query("INSERT INTO items (name) VALUES ('b')");
        throw new Refused();
      }),
      transactions.run((m) => m.query("INSERT INTO items (name) VALUES ('c')")),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['a', 'c']);
  });

  it('keeps serving the queue after a unit failed', async () => {
    await expect(transactions.run((m) => m.query('INSERT INTO nowhere (name) VALUES (1)'))).rejects.toThrow();
    await transactions.run((m) => m.query("INSERT INTO items (name) VALUES ('after')"));
    expect(await names()).toEqual(['after']);
  });
});
