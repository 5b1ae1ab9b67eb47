import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/clients/client.entity.js';
import { ALL_PERMISSIONS } from '../src/common/permissions.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { FirstPartyClientSignsInOnlyPostgres1795630000000 } from '../src/database/migrations/postgres/1795630000000-FirstPartyClientSignsInOnly.js';
import { FirstPartyClientSignsInOnlySqlite1795630000000 } from '../src/database/migrations/sqlite/1795630000000-FirstPartyClientSignsInOnly.js';
import { ADMIN, FIRST_PARTY, startApp } from './support/app.js';
import { expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

const SIGN_IN_GRANTS = ['authorization_code', 'password', 'refresh_token'];

describe('the first-party bootstrap client', () => {
  it('gets the whole permission catalogue back at every start, so new permissions can be requested at once', async () => {
    const first = await startApp();
    // As if the catalogue had grown since the client was made.
    await first.app.get(TransactionService).run((m) => m.update(Client, { clientId: FIRST_PARTY.clientId }, { scopes: ['notes:read'] }));
    await first.close({ keepDatabase: true });

    const second = await startApp({ database: first.database });
    try {
      const row = await second.app.get(DataSource).getRepository(Client).findOneByOrFail({ clientId: FIRST_PARTY.clientId });
      expect([...row.scopes].sort()).toEqual([...ALL_PERMISSIONS].sort());
      expect(row.firstParty).toBe(true);
      expect((await passwordLogin(second, ADMIN, { scope: 'reports:read' })).scope).toBe('reports:read');
    } finally {
      await second.close();
    }
  });

  it('signs users in but is no principal of its own: client_credentials is unauthorized_client', async () => {
    const t = await startApp();
    try {
      const row = await t.app.get(DataSource).getRepository(Client).findOneByOrFail({ clientId: FIRST_PARTY.clientId });
      expect([...row.grantTypes].sort()).toEqual(SIGN_IN_GRANTS);
      const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'users:manage' });
      expectStatus(res, 400);
      expect(res.body).toMatchObject({ error: 'unauthorized_client' });
    } finally {
      await t.close();
    }
  });

  it('an existing database is migrated the same way: client_credentials taken away, authorization_code added', async () => {
    const t = await startApp();
    try {
      const dataSource = t.app.get(DataSource);
      const clients = dataSource.getRepository(Client);
      // The bootstrap client as earlier versions made it.
      await t.app
        .get(TransactionService)
        .run((m) => m.update(Client, { clientId: FIRST_PARTY.clientId }, { grantTypes: ['password', 'refresh_token', 'client_credentials'] }));
      const migration =
        dataSource.options.type === 'postgres' ? new FirstPartyClientSignsInOnlyPostgres1795630000000() : new FirstPartyClientSignsInOnlySqlite1795630000000();
      // On the writer, in a unit of work: the app's own DataSource reads (on SQLite, a read-only connection).
      await t.app.get(TransactionService).run((m) => migration.up(m.queryRunner!));
      const row = await clients.findOneByOrFail({ clientId: FIRST_PARTY.clientId });
      expect([...row.grantTypes].sort()).toEqual(SIGN_IN_GRANTS);
      expect([...row.requestedGrantTypes].sort()).toEqual(SIGN_IN_GRANTS);
    } finally {
      await t.close();
    }
  });
});
