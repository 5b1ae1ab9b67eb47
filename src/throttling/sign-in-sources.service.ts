import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { deleteInBatches } from '../database/batch-delete.js';
import { TransactionService } from '../database/transaction.service.js';
import { SignInSource } from './sign-in-source.entity.js';

/** Where a sign-in comes from: its address, and once issue 14 sets one, the browser's device cookie. */
export interface SourceRef {
  kind: 'address' | 'device';
  value: string;
}

const DAY = 86_400_000;
/** A known source is refreshed at most this often: a login is not a write every time. */
const REFRESH_AFTER_MS = DAY;
/** Sources not seen for this long are forgotten by the maintenance job. */
export const SIGN_IN_SOURCE_RETENTION_MS = 180 * DAY;

/**
 * Remembers the sources each account has signed in from successfully, in the
 * database so every instance (and a restart) knows them. Only a successful
 * sign-in writes here, so a flood of guesses cannot grow or evict it.
 */
@Injectable()
export class SignInSources {
  constructor(
    @InjectRepository(SignInSource) private readonly sources: Repository<SignInSource>,
    private readonly transactions: TransactionService,
  ) {}

  async anyKnown(account: string, refs: readonly SourceRef[]): Promise<boolean> {
    if (refs.length === 0) return false;
    return this.sources.exists({ where: { digest: In(refs.map((ref) => sourceDigest(account, ref))) } });
  }

  async remember(account: string, refs: readonly SourceRef[], now = new Date()): Promise<void> {
    for (const ref of refs) {
      const digest = sourceDigest(account, ref);
      const known = await this.sources.findOne({ where: { digest } });
      if (known && now.getTime() - known.lastSeenAt.getTime() < REFRESH_AFTER_MS) continue;
      // Writes go through a unit of work: repositories read (on SQLite, from the read-only connection).
      await this.transactions.run((m) => m.upsert(SignInSource, { digest, lastSeenAt: now }, ['digest']));
    }
  }

  prune(before: Date): Promise<number> {
    return deleteInBatches(this.transactions, 'sign_in_sources', 'digest', 'last_seen_at < :before', { before: before.getTime() });
  }
}

export function sourceDigest(account: string, { kind, value }: SourceRef): string {
  return createHash('sha256').update(`${account}\0${kind}\0${value}`, 'utf8').digest('hex');
}
