import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { Metrics } from '../../metrics/metrics.service.js';

const HOUR_MS = 3_600_000;
const FLUSH_INTERVAL_MS = 10_000;

/**
 * Counts access tokens issued, per hour and grant, in memory; adds the counts
 * to the database every few seconds and at shutdown. Issuing a token thus
 * never waits on a write, and instances add to the same rows.
 */
@Injectable()
export class TokenIssuanceCounter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenIssuanceCounter.name);
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch((e: unknown) => this.logger.error(e)), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((e: unknown) => this.logger.error(e));
  }

  count(grantType: string): void {
    this.metrics.tokensIssued.labels(grantType).inc();
    const key = `${Math.floor(Date.now() / HOUR_MS) * HOUR_MS}|${grantType}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const postgres = this.dataSource.options.type === 'postgres';
    const sql = postgres
      ? 'INSERT INTO token_issuance_counts (hour_start, grant_type, count) VALUES ($1, $2, $3) ON CONFLICT (hour_start, grant_type) DO UPDATE SET count = token_issuance_counts.count + EXCLUDED.count'
      : 'INSERT INTO token_issuance_counts (hour_start, grant_type, count) VALUES (?, ?, ?) ON CONFLICT (hour_start, grant_type) DO UPDATE SET count = token_issuance_counts.count + excluded.count';
    await this.transactions.run(async (m) => {
      for (const [key, count] of batch) {
        const [hourStart, grantType] = key.split('|');
        await m.query(sql, [Number(hourStart), grantType, count]);
      }
    });
  }
}
