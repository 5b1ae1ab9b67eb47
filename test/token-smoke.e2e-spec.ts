import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { adminAuth, clientCredentialsToken, passwordLogin, tokenRequest } from './support/oauth.js';

describe('token smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('password, me, refresh, client credentials', async () => {
    const login = await passwordLogin(t);
    expect(login.refresh_token).toBeDefined();
    const me = await t.http().get('/me').set('Authorization', `Bearer ${login.access_token}`);
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const cc = await clientCredentialsToken(t);
    expect(cc.access_token).toBeDefined();
    const users = await t.http().get('/admin/users').set('Authorization', await adminAuth(t));
    expect(users.status, JSON.stringify(users.body)).toBe(200);
  });
});
