import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLUSTER_CLIENT, type Cluster, createCluster, type Instance, login, token, within } from './cluster.js';

/** Issue 13: revoking a login (its refresh-token family) reaches every instance's guard, like a revoked jti. */
describe('a revoked login on two instances', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await createCluster();
    [a, b] = await Promise.all([cluster.start('A'), cluster.start('B')]);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const me = (instance: Instance, accessToken: string) => call(instance, '/me', { token: accessToken });

  async function session() {
    const first = await login(a);
    const rotated = await token(b, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(rotated.status).toBe(200);
    const accessTokens = [first.access_token, rotated.body.access_token as string];
    // Both instances have accepted (and cached) both tokens before the revocation.
    for (const instance of [a, b]) for (const accessToken of accessTokens) expect((await me(instance, accessToken)).status).toBe(200);
    return { first, accessTokens, refreshToken: rotated.body.refresh_token as string };
  }

  const allRefused = (accessTokens: string[]) => async () => {
    const statuses = await Promise.all([a, b].flatMap((instance) => accessTokens.map(async (accessToken) => (await me(instance, accessToken)).status)));
    return statuses.every((status) => status === 401);
  };

  it('revoking the refresh token on A: its access tokens are refused on A at once and on B within a second', async () => {
    const { accessTokens, refreshToken } = await session();
    const revoked = await call(a, '/oauth/revoke', { form: { token: refreshToken }, client: CLUSTER_CLIENT });
    expect(revoked.status).toBe(200);
    for (const accessToken of accessTokens) expect((await me(a, accessToken)).status).toBe(401);
    await within(1000, allRefused(accessTokens));
  });

  it('reuse detected on B: the access tokens of the family are refused on both', async () => {
    const { first, accessTokens } = await session();
    expect((await token(b, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body.error).toBe('invalid_grant');
    for (const accessToken of accessTokens) expect((await me(b, accessToken)).status).toBe(401);
    await within(1000, allRefused(accessTokens));
  });
});
