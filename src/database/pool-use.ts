import pg from 'pg';

/** pg pools made by TypeORM, so their use can be read; an ended pool drops out on the next read. */
const pools = new Set<pg.Pool>();

/**
 * The pg module as TypeORM is given it (its documented `driver` option), with
 * a Pool that makes itself known: pool use can then be reported without
 * reaching into TypeORM's driver internals for the pool it keeps.
 */
class ObservedPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    pools.add(this);
  }
}

export const observedPg = { ...pg, Pool: ObservedPool };

export interface PoolUse {
  /** Connections open, idle among them, and callers waiting for one. */
  total: number;
  idle: number;
  waiting: number;
}

/** Use of the live pools connected to `connectionString`, summed. */
export function poolUse(connectionString: string): PoolUse {
  const use = { total: 0, idle: 0, waiting: 0 };
  for (const pool of pools) {
    if (pool.ended) {
      pools.delete(pool);
      continue;
    }
    if (pool.options.connectionString !== connectionString) continue;
    use.total += pool.totalCount;
    use.idle += pool.idleCount;
    use.waiting += pool.waitingCount;
  }
  return use;
}
