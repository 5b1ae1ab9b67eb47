import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startListeningApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';

/**
 * Gatehouse as a stock OAuth client library sees it: oauth4webapi discovers
 * the server from its RFC 8414 metadata and runs the grants, introspection
 * and revocation with client_secret_basic, checking every response itself.
 */
describe('a real OAuth client (oauth4webapi)', () => {
  let t: TestApp & { baseUrl: string };
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: FIRST_PARTY.clientId };
  const auth = oauth.ClientSecretBasic(FIRST_PARTY.clientSecret);
  // The test server speaks plain HTTP on loopback; the flag's deprecation is its warning label.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const options = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    t = await startListeningApp();
    const issuer = new URL(t.baseUrl);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }));
  });
  afterAll(() => t.close());

  it('discovers the server', () => {
    expect(as.issuer).toBe(t.baseUrl);
    expect(as.token_endpoint).toBe(`${t.baseUrl}/oauth/token`);
    expect(as.grant_types_supported).toEqual(expect.arrayContaining(['password', 'refresh_token', 'client_credentials']));
  });

  it('runs client_credentials as a machine client, then introspects and revokes the token', async () => {
    // The bootstrap client signs users in only; a machine client is registered and approved.
    const credentials = await machineClient(t, ['inventory:read', 'introspect']);
    const machine: oauth.Client = { client_id: credentials.clientId };
    const machineAuth = oauth.ClientSecretBasic(credentials.clientSecret);
    const response = await oauth.clientCredentialsGrantRequest(as, machine, machineAuth, new URLSearchParams({ scope: 'inventory:read' }), options);
    const tokens = await oauth.processClientCredentialsResponse(as, machine, response);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('inventory:read');

    const introspect = async () =>
      oauth.processIntrospectionResponse(as, machine, await oauth.introspectionRequest(as, machine, machineAuth, tokens.access_token, options));
    expect(await introspect()).toMatchObject({ active: true, client_id: credentials.clientId, scope: 'inventory:read' });

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, machine, machineAuth, tokens.access_token, options));
    const after = await introspect();
    expect(after.active).toBe(false);
  });

  it('logs in with the password grant and refreshes with rotation', async () => {
    const login = await oauth.processGenericTokenEndpointResponse(
      as,
      client,
      await oauth.genericTokenEndpointRequest(
        as,
        client,
        auth,
        'password',
        new URLSearchParams({ username: ADMIN.username, password: ADMIN.password, scope: 'notes:read' }),
        options,
      ),
    );
    expect(login.refresh_token).toEqual(expect.any(String));
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, login.refresh_token!, options),
    );
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);
    expect(refreshed.scope).toBe('notes:read');
    const me = await fetch(`${t.baseUrl}/me`, { headers: { Authorization: `Bearer ${refreshed.access_token}` } });
    expect(me.status).toBe(200);
  });

  it('surfaces an RFC 6749 error for a bad grant', async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, 'not-a-refresh-token', options);
    await expect(oauth.processRefreshTokenResponse(as, client, response)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
