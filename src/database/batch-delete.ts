import type { TransactionService } from './transaction.service.js';

const BATCH_SIZE = 500;

/**
 * Deletes the rows of `table` matching `where` (named parameters, as in
 * TypeORM's query builder) a batch at a time, each batch its own short
 * transaction, so pruning never holds the database (on SQLite: the one
 * writer) long enough to stall requests. Returns how many rows went.
 */
export async function deleteInBatches(
  transactions: TransactionService,
  table: string,
  key: string,
  where: string,
  parameters: Record<string, unknown>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await transactions.run(async (m) => {
      const ids = await m.createQueryBuilder().select(key, 'k').from(table, table).where(where, parameters).limit(BATCH_SIZE).getRawMany<{ k: unknown }>();
      if (ids.length === 0) return 0;
      await m
        .createQueryBuilder()
        .delete()
        .from(table)
        .where(`${key} IN (:...ids)`, { ids: ids.map((row) => row.k) })
        .execute();
      return ids.length;
    });
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
