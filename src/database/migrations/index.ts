import type { MigrationInterface } from 'typeorm';
import { InitialSchemaSqlite1795607489601 } from './sqlite/1795607489601-InitialSchema.js';
import { FirstPartyClientsSqlite1795610496291 } from './sqlite/1795610496291-FirstPartyClients.js';
import { DropRefreshTokenParentIndexSqlite1795614910593 } from './sqlite/1795614910593-DropRefreshTokenParentIndex.js';
import { RefreshTokensRoomForHotUpdatesSqlite1795626000000 } from './sqlite/1795626000000-RefreshTokensRoomForHotUpdates.js';
import { FirstPartyClientSignsInOnlySqlite1795630000000 } from './sqlite/1795630000000-FirstPartyClientSignsInOnly.js';
import { SignInSourcesSqlite1795640000000 } from './sqlite/1795640000000-SignInSources.js';
import { ServerSecretsSqlite1795650000000 } from './sqlite/1795650000000-ServerSecrets.js';
import { BrowserSignInSqlite1795660000000 } from './sqlite/1795660000000-BrowserSignIn.js';
import { PublicClientsSqlite1795660000001 } from './sqlite/1795660000001-PublicClients.js';
import { AccessEventsSqlite1795956481117 } from './sqlite/1795956481117-AccessEvents.js';
import { InitialSchemaPostgres1795607489601 } from './postgres/1795607489601-InitialSchema.js';
import { FirstPartyClientsPostgres1795610496291 } from './postgres/1795610496291-FirstPartyClients.js';
import { DropRefreshTokenParentIndexPostgres1795614910593 } from './postgres/1795614910593-DropRefreshTokenParentIndex.js';
import { RefreshTokensRoomForHotUpdatesPostgres1795626000000 } from './postgres/1795626000000-RefreshTokensRoomForHotUpdates.js';
import { FirstPartyClientSignsInOnlyPostgres1795630000000 } from './postgres/1795630000000-FirstPartyClientSignsInOnly.js';
import { SignInSourcesPostgres1795640000000 } from './postgres/1795640000000-SignInSources.js';
import { ServerSecretsPostgres1795650000000 } from './postgres/1795650000000-ServerSecrets.js';
import { BrowserSignInPostgres1795660000000 } from './postgres/1795660000000-BrowserSignIn.js';
import { PublicClientsPostgres1795660000001 } from './postgres/1795660000001-PublicClients.js';
import { AccessEventsPostgres1795956481117 } from './postgres/1795956481117-AccessEvents.js';

/**
 * Migrations are listed as classes, not globs, so the same list works from the
 * compiled app, the test runner and the TypeORM CLI. `npm run migration:generate`
 * rewrites this file from the two folders, in timestamp order.
 */
/** What TypeORM's `migrations` option takes: the migration classes themselves. */
type MigrationClass = new () => MigrationInterface;

export const SQLITE_MIGRATIONS: MigrationClass[] = [
  InitialSchemaSqlite1795607489601,
  FirstPartyClientsSqlite1795610496291,
  DropRefreshTokenParentIndexSqlite1795614910593,
  RefreshTokensRoomForHotUpdatesSqlite1795626000000,
  FirstPartyClientSignsInOnlySqlite1795630000000,
  SignInSourcesSqlite1795640000000,
  ServerSecretsSqlite1795650000000,
  BrowserSignInSqlite1795660000000,
  PublicClientsSqlite1795660000001,
  AccessEventsSqlite1795956481117,
];
export const POSTGRES_MIGRATIONS: MigrationClass[] = [
  InitialSchemaPostgres1795607489601,
  FirstPartyClientsPostgres1795610496291,
  DropRefreshTokenParentIndexPostgres1795614910593,
  RefreshTokensRoomForHotUpdatesPostgres1795626000000,
  FirstPartyClientSignsInOnlyPostgres1795630000000,
  SignInSourcesPostgres1795640000000,
  ServerSecretsPostgres1795650000000,
  BrowserSignInPostgres1795660000000,
  PublicClientsPostgres1795660000001,
  AccessEventsPostgres1795956481117,
];
