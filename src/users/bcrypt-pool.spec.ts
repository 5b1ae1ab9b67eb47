import bcrypt from 'bcrypt';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BcryptPool } from './bcrypt-pool.js';

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('BcryptPool', () => {
  const pool = new BcryptPool(2);
  afterAll(() => pool.close());

  it('hashes and compares like bcrypt', async () => {
    const hash = await pool.hash('a good password', 4);
    expect(bcrypt.getRounds(hash)).toBe(4);
    expect(await bcrypt.compare('a good password', hash)).toBe(true);
    expect(await pool.compare('a good password', hash)).toBe(true);
    expect(await pool.compare('a wrong password', hash)).toBe(false);
  });

  it('queues more jobs than it has workers and finishes them all', async () => {
    const hash = await pool.hash('queued', 4);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.compare(i % 2 ? 'queued' : 'other', hash)));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
  });

  it('never matches a malformed hash, and keeps working', async () => {
    expect(await pool.compare('x', 'not a bcrypt hash')).toBe(false);
    expect(await pool.compare('x', await pool.hash('x', 4))).toBe(true);
  });

  it('runs its threads at a lower scheduling priority than the event loop', () => {
    const nice = threadNiceValues();
    expect(nice.filter((value) => value === 10).length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...nice)).toBe(0);
  });

  it('refuses work once closed', async () => {
    const closing = new BcryptPool(1);
    await closing.close();
    await expect(closing.hash('x', 4)).rejects.toThrow(/shut down/);
  });
});
