import { describe, expect, it } from 'vitest';
import { OAuthParams } from '../oauth/oauth-params.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { client, request, signer } from '../../../test/support/grant-doubles.js';

describe('ClientCredentialsGrant', () => {
  const params = (body: Record<string, string> = {}) => OAuthParams.from({ grant_type: 'client_credentials', ...body });

  it('makes the client the principal: sub = client_id, no refresh token, no sid', async () => {
    const { service, issued } = signer();
    const answer = await new ClientCredentialsGrant(service).handle({ client: client(), params: params({ scope: 'reports:read' }), request });
    expect(answer).toEqual({ access_token: 'token-1', token_type: 'Bearer', expires_in: 900, scope: 'reports:read' });
    expect(issued).toEqual([{ subject: 'gh_client', clientId: 'gh_client', scope: ['reports:read'], grantType: 'client_credentials' }]);
  });

  it("grants no more than the client's scopes", async () => {
    const { service } = signer();
    const grant = new ClientCredentialsGrant(service);
    await expect(
      grant.handle({ client: client({ scopes: new Set(['notes:read']) }), params: params({ scope: 'users:manage' }), request }),
    ).rejects.toMatchObject({
      error: 'invalid_scope',
    });
    expect((await grant.handle({ client: client({ scopes: new Set(['notes:read']) }), params: params(), request })).scope).toBe('notes:read');
  });

  it('needs the client_credentials grant on the client', async () => {
    const { service } = signer();
    await expect(
      new ClientCredentialsGrant(service).handle({ client: client({ grantTypes: new Set(['password']) }), params: params(), request }),
    ).rejects.toMatchObject({ error: 'unauthorized_client' });
  });
});
