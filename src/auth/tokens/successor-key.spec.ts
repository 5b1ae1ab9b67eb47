import { createHash } from 'node:crypto';
import type { Repository } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app.config.js';
import type { TransactionService } from '../../database/transaction.service.js';
import { ServerKeys } from '../keys/server-keys.service.js';
import type { ServerSecret } from '../keys/server-secret.entity.js';
import { SuccessorKey } from './successor-key.js';

/** A server_secrets table shared by every instance made on it, as the database is. */
function secretsTable() {
  const rows = new Map<string, ServerSecret>();
  let inserts = 0;
  const repo = {
    findOneBy: ({ name }: { name: string }) => Promise.resolve(rows.get(name) ?? null),
    findOneByOrFail: ({ name }: { name: string }) => Promise.resolve(rows.get(name)!),
  } as unknown as Repository<ServerSecret>;
  const insertBuilder = {
    insert: () => insertBuilder,
    into: () => insertBuilder,
    values: (row: ServerSecret) => {
      inserts++;
      // INSERT … ON CONFLICT DO NOTHING: the first secret stored stays.
      if (!rows.has(row.name)) rows.set(row.name, row);
      return insertBuilder;
    },
    orIgnore: () => insertBuilder,
    execute: () => Promise.resolve(),
  };
  const transactions = { run: (work: (m: unknown) => Promise<unknown>) => work({ createQueryBuilder: () => insertBuilder }) } as unknown as TransactionService;
  return { repo, transactions, rows, inserts: () => inserts };
}

/** The server's keys as configured: with a secret, the same on every instance; without one (in memory), each its own. */
const config = (secret?: string) => new ServerKeys({ signingKeyEncryptionSecret: secret, databaseUrl: 'sqlite::memory:' } as AppConfig);

describe('SuccessorKey: the successor of a refresh token, derived from it', () => {
  it('derives the same successor for the same token on every instance sharing the database, and after a restart', async () => {
    const table = secretsTable();
    const first = new SuccessorKey(table.repo, config('a-secret-of-thirty-two-characters!!'), table.transactions);
    const second = new SuccessorKey(table.repo, config('a-secret-of-thirty-two-characters!!'), table.transactions);
    const [a, b] = await Promise.all([first.successorOf('parent-token'), second.successorOf('parent-token')]);
    expect(a).toBe(b);
    expect(await first.successorOf('parent-token')).toBe(a);
    expect(table.rows.size).toBe(1);
  });

  it('gives different tokens different 256-bit successors, none of them computable from the token alone', async () => {
    const table = secretsTable();
    const key = new SuccessorKey(table.repo, config('a-secret-of-thirty-two-characters!!'), table.transactions);
    const [x, y] = await Promise.all([key.successorOf('token-x'), key.successorOf('token-y')]);
    expect(x).not.toBe(y);
    expect(Buffer.from(x, 'base64url')).toHaveLength(32);
    expect(x).not.toBe(createHash('sha256').update('token-x').digest('base64url'));
  });

  it('keeps the secret sealed in the database', async () => {
    const table = secretsTable();
    await new SuccessorKey(table.repo, config('a-secret-of-thirty-two-characters!!'), table.transactions).successorOf('t');
    expect([...table.rows.values()][0].sealed).toMatch(/^enc:v1:/);
  });

  it('differs between two databases (each makes its own secret)', async () => {
    const [one, two] = [secretsTable(), secretsTable()];
    const a = await new SuccessorKey(one.repo, config(), one.transactions).successorOf('same-token');
    const b = await new SuccessorKey(two.repo, config(), two.transactions).successorOf('same-token');
    expect(a).not.toBe(b);
  });
});
