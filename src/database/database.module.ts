import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { dataSourceOptions } from './data-source-options.js';
import { PoolMetrics } from './pool.metrics.js';
import { withStartupLock } from './startup-lock.js';
import { TransactionService } from './transaction.service.js';

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
      }),
      // Migrate before any provider can touch a repository: the schema is ready
      // by the time the rest of the application is constructed.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await withStartupLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
        return dataSource;
      },
    }),
  ],
  providers: [TransactionService, PoolMetrics],
  exports: [TransactionService],
})
export class DatabaseModule {}
