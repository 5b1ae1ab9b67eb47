import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { createPostgresDatabase, DatabaseSetupError, isMissingDatabase } from './create-database.js';
import { dataSourceOptions, readerOptions } from './data-source-options.js';
import { PoolMetrics } from './pool.metrics.js';
import { withStartupLock } from './startup-lock.js';
import { TransactionService, WRITER } from './transaction.service.js';

/** Which migrations this start applied: the one record of when the schema changed. */
function reportMigrations(applied: string[], known: number): void {
  const logger = new Logger('Database');
  if (applied.length === 0) logger.log(`Schema up to date (${known} migrations)`);
  else logger.log(`Applied ${applied.length} of ${known} migrations: ${applied.join(', ')}`);
}

/** Connects; a PostgreSQL database that does not exist yet is created first (see create-database.ts). */
async function connect(options: DataSourceOptions): Promise<DataSource> {
  try {
    return await new DataSource(options).initialize();
  } catch (error) {
    if (options.type !== 'postgres' || !isMissingDatabase(error)) throw error;
    await createPostgresDatabase(options.url!);
    return new DataSource(options).initialize();
  }
}

const retry = {
  // A database that is not there yet gets a few seconds; then start-up fails and says why.
  retryAttempts: 3,
  retryDelay: 1000,
  toRetry: (error: unknown) => !(error instanceof DatabaseSetupError),
};

/**
 * Two data sources, so that nothing outside a unit of work can see one that is
 * still open (DESIGN.md: caches hold committed state only):
 *
 * - WRITER: runs the migrations and every unit of work (TransactionService).
 * - the default one, behind every injected repository and DataSource: reads.
 *
 * On a SQLite file the reader is a second, read-only connection: in WAL mode
 * it sees the last committed state and never the writer's open transaction,
 * which on the one shared writer connection every query would. On PostgreSQL
 * (READ COMMITTED, a pooled connection per query) and on `sqlite::memory:`
 * (one connection is the whole database) both names are one data source.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: WRITER,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), ...retry }),
      // Migrate before any provider can touch a repository: the schema is ready
      // by the time the rest of the application is constructed.
      dataSourceFactory: async (options) => {
        const dataSource = await connect(options!);
        const applied = await withStartupLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
        reportMigrations(
          applied.map((migration) => migration.name),
          dataSource.migrations.length,
        );
        return dataSource;
      },
    }),
  ],
  providers: [
    {
      // The default data source: what TypeOrmModule.forFeature's repositories and @InjectDataSource() get.
      provide: DataSource,
      inject: [getDataSourceToken(WRITER), appConfig.KEY],
      useFactory: async (writer: DataSource, config: AppConfig) => {
        const options = readerOptions(config.databaseUrl);
        return options ? new DataSource(options).initialize() : writer;
      },
    },
    TransactionService,
    PoolMetrics,
  ],
  exports: [DataSource, TransactionService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly reader: DataSource,
    @InjectDataSource(WRITER) private readonly writer: DataSource,
  ) {}

  /** The writer is TypeOrmModule's to close; a reader of its own is ours. */
  async onApplicationShutdown(): Promise<void> {
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
  }
}
