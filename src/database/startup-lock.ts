import type { DataSource } from 'typeorm';

/** Any fixed 64-bit key; it only has to be the same in every instance. */
const STARTUP_LOCK_KEY = 4_707_320_190_231;

/**
 * Runs `work` while holding a cluster-wide lock, so instances starting together
 * on an empty database migrate and seed once: the first does the work, the
 * others wait and then find it done. PostgreSQL uses a session advisory lock;
 * SQLite serves one process and needs none.
 */
export async function withStartupLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
