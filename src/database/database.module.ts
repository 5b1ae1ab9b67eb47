import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { createPostgresDatabase, DatabaseSetupError, isMissingDatabase } from './create-database.js';
import { dataSourceOptions } from './data-source-options.js';
import { PoolMetrics } from './pool.metrics.js';
import { withStartupLock } from './startup-lock.js';
import { TransactionService } from './transaction.service.js';

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

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl),
        // A database that is not there yet gets a few seconds; then start-up fails and says why.
        retryAttempts: 3,
        retryDelay: 1000,
        toRetry: (error: unknown) => !(error instanceof DatabaseSetupError),
      }),
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
  providers: [TransactionService, PoolMetrics],
  exports: [TransactionService],
})
export class DatabaseModule {}
