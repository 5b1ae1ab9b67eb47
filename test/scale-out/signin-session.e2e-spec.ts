import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOf, pkce, redirectQuery } from '../support/signin.js';
import { call, CLUSTER_ADMIN, CLUSTER_ISSUER, type Cluster, createCluster, type Instance, login } from './cluster.js';

const CALLBACK = 'https://app.example/callback';

/** A browser's cookies, kept across requests to any instance. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
}

/**
 * A sign-in session lives in the database: a browser that signed in through
 * one instance is signed in on every other.
 */
describe('browser sign-in across two instances', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    cluster = await createCluster();
    [a, b] = await Promise.all([cluster.start('A'), cluster.start('B')]);
    const admin = (await login(a)).access_token;
    const registered = await call(a, '/clients', {
      token: admin,
      json: {
        name: 'Cluster web app',
        description: 'Signs in anywhere',
        grant_types: ['authorization_code'],
        scopes: ['notes:read'],
        redirect_uris: [CALLBACK],
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const id = registered.body.id as string;
    expect((await call(a, `/admin/clients/${id}/approve`, { token: admin, json: {} })).status).toBe(200);
    const secret = await call(a, `/clients/${id}/secret`, { token: admin, method: 'POST' });
    client = { clientId: secret.body.client_id as string, clientSecret: secret.body.client_secret as string };
  });
  afterAll(async () => {
    await cluster?.close();
  });

  async function browse(jar: CookieJar, instance: Instance, path: string, form?: Record<string, string>) {
    const res = await fetch(`${instance.url}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { Cookie: jar.header(), ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    jar.keep(res);
    return { status: res.status, location: res.headers.get('location') ?? undefined, text: await res.text() };
  }

  it('signs in on A, is recognised on B, consents on B and exchanges the code on A', async () => {
    const jar = new CookieJar();
    const { verifier, challenge } = pkce();
    const query = (state: string) =>
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: CALLBACK, scope: 'notes:read', state, code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`;

    const loginPage = await browse(jar, a, query('on-a'));
    expect(loginPage.status).toBe(200);
    const { fields } = formOf(loginPage.text);
    const consentOnA = await browse(jar, a, '/oauth/authorize/login', { ...fields, username: CLUSTER_ADMIN.username, password: CLUSTER_ADMIN.password });
    expect(consentOnA.status).toBe(200);
    expect(consentOnA.text).toContain('name="decision"');

    // B has never seen this browser: the session row is what it recognises.
    const consentOnB = await browse(jar, b, query('on-b'));
    expect(consentOnB.status).toBe(200);
    expect(consentOnB.text).toContain('name="decision"');
    expect(consentOnB.text).toContain(`Signed in as <strong>${CLUSTER_ADMIN.username}</strong>`);

    const allowed = await browse(jar, b, '/oauth/authorize/consent', { ...formOf(consentOnB.text).fields, decision: 'allow' });
    expect(allowed.status).toBe(303);
    const answer = redirectQuery(allowed.location);
    expect(answer).toMatchObject({ state: 'on-b', iss: CLUSTER_ISSUER });

    const tokens = await call(a, '/oauth/token', {
      form: { grant_type: 'authorization_code', code: answer.code, redirect_uri: CALLBACK, code_verifier: verifier },
      client,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect((await call(b, '/notes', { token: tokens.body.access_token as string })).status).toBe(200);
    // Replayed on the other instance: refused there too.
    const replay = await call(b, '/oauth/token', {
      form: { grant_type: 'authorization_code', code: answer.code, redirect_uri: CALLBACK, code_verifier: verifier },
      client,
    });
    expect(replay.body.error).toBe('invalid_grant');
  });
});
