import { basic, CLIENT, type ClientCredentials, clientCredentialsForm, form, type Gatehouse, passwordForm, token, type TokenResponse } from './gatehouse.js';
import { Chains, type HttpCall } from './load.js';

/** The requests the figures and the profiles send. */
export const METADATA: HttpCall = { method: 'GET', path: '/.well-known/oauth-authorization-server' };

export const me = (accessToken: string): HttpCall => ({ method: 'GET', path: '/me', headers: { authorization: `Bearer ${accessToken}` } });

/** POST to a token endpoint as `client` (the bench's first-party client unless told), with client_secret_basic. */
export const tokenCall = (fields: Record<string, string>, path = '/oauth/token', client: ClientCredentials = CLIENT): HttpCall => ({
  method: 'POST',
  path,
  headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
  body: form(fields),
});

/** A client_credentials request of the server's machine client. */
export const machineTokenCall = (server: Gatehouse): HttpCall => tokenCall(clientCredentialsForm(), '/oauth/token', server.machine);

/**
 * Chains of rotations: each connection starts from a login of its own (before
 * the clock starts), then refreshes with the token it was just given.
 */
export const refreshChains = (baseUrl: string, connections: number): Chains<string> =>
  new Chains<string>(baseUrl, connections, {
    prepare: async () => (await token(baseUrl, passwordForm())).refresh_token!,
    next: (refreshToken) => tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    advance: (_previous, body) => (JSON.parse(body) as TokenResponse).refresh_token!,
  });

/** client_credentials through the same closed loop as refreshChains, for a like-for-like ratio. */
export const clientCredentialsLoop = (server: Gatehouse, connections: number): Chains<null> =>
  new Chains<null>(server.url, connections, { prepare: async () => null, next: () => machineTokenCall(server) });
