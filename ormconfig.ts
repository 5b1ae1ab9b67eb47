/**
 * The TypeORM CLI's data source (`npm run typeorm -- <command>`), built from the
 * same options source as the application. DATABASE_URL picks the dialect.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options.js';

export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'sqlite:data/gatehouse.sqlite'));
