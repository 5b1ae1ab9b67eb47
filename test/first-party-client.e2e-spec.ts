import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/clients/client.entity.js';
import { ALL_PERMISSIONS } from '../src/common/permissions.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { FIRST_PARTY, startApp } from './support/app.js';
import { clientCredentialsToken } from './support/oauth.js';

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
      expect((await clientCredentialsToken(second, FIRST_PARTY, 'reports:read')).scope).toBe('reports:read');
    } finally {
      await second.close();
    }
  });
});
