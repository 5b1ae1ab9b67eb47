import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { basic, expectStatus, passwordLogin } from './support/oauth.js';
import { leaksIn } from './support/raw-http.js';

/**
 * Issue 6: thousands of generated requests at the OAuth endpoints and a
 * guarded route. Whatever comes in, the answer is below 500, its body is JSON
 * (RFC 7009's empty 200 aside), it gives nothing internal away, and the
 * server still works afterwards. Requests go through Fastify's inject: the
 * whole application, minus the socket (support/raw-http.ts covers the wire).
 *
 * Real credentials and tokens are mixed in, so that the requests get past
 * client authentication into the grants, rotation, reuse detection,
 * revocation and introspection. A failure prints fast-check's seed and path;
 * FUZZ_SEED=<seed> replays that run.
 */

type InjectOptions = Exclude<Parameters<TestApp['app']['inject']>[0], string | undefined>;
type InjectResponse = Awaited<ReturnType<TestApp['app']['inject']>>;

const RUNS = { token: 1400, revoke: 400, introspect: 400, me: 1000 };
const FUZZ_TIMEOUT = 60_000;

/** Placeholders the generators emit and `materialize` swaps for live tokens at request time. */
const REFRESH = '\u0001refresh';
const ACCESS = '\u0001access';

const KEYS = ['grant_type', 'username', 'password', 'refresh_token', 'scope', 'client_id', 'client_secret', 'token', 'token_type_hint'];
const GRANT_TYPES = [
  'password',
  'refresh_token',
  'client_credentials',
  'authorization_code',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'PASSWORD',
  ' password',
];
const SCOPES = ['notes:read', 'notes:read notes:write', 'users:manage audit:read', 'introspect', 'openid', 'notes:read\tnotes:write', '"notes:read"'];

/** Characters an HTTP/1.1 header value can carry (RFC 9110 field-vchar, SP, HTAB, obs-text). */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

const text: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...GRANT_TYPES,
      ...SCOPES,
      ADMIN.username,
      ADMIN.password,
      FIRST_PARTY.clientId,
      FIRST_PARTY.clientSecret,
      REFRESH,
      ACCESS,
      'access_token',
      'refresh_token',
    ),
  },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 500, maxLength: 5_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000', '%00', '\ud800', '\ufeff', '../../etc/passwd', "' OR '1'='1", '{"$ne":null}') },
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: text },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Mostly strings, now and then anything JSON can say. */
const mostlyText = (real: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: real }, { weight: 3, arbitrary: text }, { weight: 1, arbitrary: value });

/**
 * A request shaped like what a client sends, with something wrong in it more
 * often than not: these are the bodies that get past parsing and client
 * authentication into the grants, rotation, revocation and introspection.
 */
const plausibleParams = fc.record(
  {
    grant_type: mostlyText(fc.constantFrom('password', 'refresh_token', 'client_credentials')),
    username: mostlyText(fc.constant(ADMIN.username)),
    password: mostlyText(fc.constantFrom(ADMIN.password, 'wrong-password')),
    refresh_token: mostlyText(fc.constant(REFRESH)),
    scope: mostlyText(fc.constantFrom(...SCOPES)),
    token: mostlyText(fc.constantFrom(REFRESH, ACCESS)),
    token_type_hint: mostlyText(fc.constantFrom('access_token', 'refresh_token')),
  },
  { requiredKeys: ['grant_type', 'token'] },
);

/** Anything: each OAuth parameter present or not, with any value, plus random others. */
const chaoticParams = fc
  .tuple(
    fc.record(Object.fromEntries(KEYS.map((key) => [key, value])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), value, { maxKeys: 3 }),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

const params: fc.Arbitrary<Record<string, unknown>> = fc.oneof({ weight: 3, arbitrary: plausibleParams }, { weight: 2, arbitrary: chaoticParams });

type Body = { kind: 'form' | 'json'; params: Record<string, unknown> } | { kind: 'raw'; contentType: string | undefined; payload: string | Buffer };

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 5, arbitrary: params.map((p) => ({ kind: 'form' as const, params: p })) },
  { weight: 4, arbitrary: params.map((p) => ({ kind: 'json' as const, params: p })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      contentType: fc.option(
        fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=latin1',
          'application/x-www-form-urlencoded; charset=utf-16',
        ),
        { nil: undefined },
      ),
      payload: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      ),
    }),
  },
);

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

/** How the client authenticates: an Authorization header, or (`post`) its real credentials in the body. */
type ClientAuth = { header?: string; post?: true };

const clientAuth: fc.Arbitrary<ClientAuth> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ header: basic(FIRST_PARTY) }) },
  { weight: 2, arbitrary: fc.constant({ post: true as const }) },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 60 }))
      .map(([id, secret]) => ({ header: `Basic ${b64(`${id}:${secret}`)}` })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((secret) => ({ header: basic({ clientId: FIRST_PARTY.clientId, clientSecret: secret }) })) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 80 }).map((encoded) => ({ header: `Basic ${encoded}` })) },
  { weight: 1, arbitrary: headerText(80).map((raw) => ({ header: `Basic ${raw}` })) },
  { weight: 1, arbitrary: headerText(80).map((raw) => ({ header: `Bearer ${raw}` })) },
  { weight: 1, arbitrary: headerText(120).map((raw) => ({ header: raw })) },
);

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** A bearer header built from a live access token: intact, damaged in one place, cut, extended, or garbage. */
type BearerPlan =
  | { kind: 'intact' }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'cut'; at: number }
  | { kind: 'extend'; tail: string }
  | { kind: 'raw'; header: string };

const bearerPlan: fc.Arbitrary<BearerPlan> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'intact' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom(...Array.from(TOKEN_CHARS)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), tail: headerText(40) }) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        headerText(200).map((raw) => `Bearer ${raw}`),
        headerText(200),
        fc.string({ unit: fc.constantFrom(...Array.from(TOKEN_CHARS)), maxLength: 400 }).map((raw) => `Bearer ${raw}`),
      )
      .map((header) => ({ kind: 'raw' as const, header })),
  },
);

describe('fuzzing the OAuth endpoints and a guarded route', () => {
  let t: TestApp;
  /** Live tokens: refresh tokens received are added as the fuzz rotates them. */
  const refreshTokens: string[] = [];
  const accessTokens: string[] = [];
  let served = 0;

  const pick = (pool: string[], seed: string) => pool[[...seed].reduce((n, c) => n + c.charCodeAt(0), served) % pool.length] ?? '';

  /** Swaps the placeholders for live tokens and renders the body as the request will carry it. */
  function materialize(b: Body, auth: ClientAuth = {}): { payload?: string | Buffer; contentType?: string } {
    if (b.kind === 'raw') return { payload: b.payload, contentType: b.contentType };
    const live = (v: unknown): unknown =>
      v === REFRESH ? pick(refreshTokens, String(served)) : v === ACCESS ? pick(accessTokens, String(served)) : Array.isArray(v) ? v.map(live) : v;
    const entries = Object.entries(b.params).map(([k, v]) => [k, live(v)] as const);
    if (auth.post) entries.push(['client_id', FIRST_PARTY.clientId], ['client_secret', FIRST_PARTY.clientSecret]);
    if (b.kind === 'json') return { payload: JSON.stringify(Object.fromEntries(entries)), contentType: 'application/json' };
    const form = new URLSearchParams();
    for (const [k, v] of entries) {
      for (const item of Array.isArray(v) ? v : [v]) form.append(k, typeof item === 'string' ? item : (JSON.stringify(item) ?? ''));
    }
    return { payload: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }

  async function inject(options: InjectOptions): Promise<InjectResponse> {
    served++;
    return t.app.inject(options);
  }

  /** The property every answer must have. Returns the parsed body, if any. */
  function expectSane(res: InjectResponse, label: string): Record<string, unknown> | undefined {
    const context = `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, context).toBeLessThan(500);
    expect(leaksIn(res.body), context).toEqual([]);
    if (res.body === '') {
      // RFC 7009 §2.2: a revocation's 200 carries no body. Every error does.
      expect(res.statusCode, context).toBeLessThan(400);
      return undefined;
    }
    expect(String(res.headers['content-type']), context).toMatch(/^application\/json\b/);
    const parsed: unknown = JSON.parse(res.body);
    expect(parsed, context).toBeTypeOf('object');
    return parsed as Record<string, unknown>;
  }

  function remember(parsed: Record<string, unknown> | undefined): void {
    if (typeof parsed?.refresh_token === 'string') refreshTokens.push(parsed.refresh_token);
    if (typeof parsed?.access_token === 'string') accessTokens.push(parsed.access_token);
    if (refreshTokens.length > 40) refreshTokens.splice(0, refreshTokens.length - 40);
    if (accessTokens.length > 40) accessTokens.splice(0, accessTokens.length - 40);
  }

  const options = (numRuns: number) => ({
    numRuns,
    ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
  });

  const oauthProperty = (path: string) =>
    fc.asyncProperty(body, clientAuth, async (b, auth) => {
      const { payload, contentType } = materialize(b, auth);
      const headers: Record<string, string> = {};
      if (auth.header !== undefined) headers.authorization = auth.header;
      if (contentType !== undefined) headers['content-type'] = contentType;
      const res = await inject({ method: 'POST', url: path, headers, ...(payload !== undefined ? { payload } : {}) });
      const parsed = expectSane(res, `${path} ${JSON.stringify(b).slice(0, 300)} auth=${JSON.stringify(auth).slice(0, 80)}`);
      if (res.statusCode >= 400) expect(parsed?.error, res.body).toEqual(expect.any(String));
      remember(parsed);
    });

  beforeAll(async () => {
    t = await startApp({ env: { RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURES_BEFORE_LOCKOUT: '1000' } });
    for (let i = 0; i < 8; i++) remember((await passwordLogin(t)) as unknown as Record<string, unknown>);
  });
  afterAll(() => t.close());

  it(
    `POST /oauth/token: ${RUNS.token} generated requests, none answered 5xx`,
    async () => {
      await fc.assert(oauthProperty('/oauth/token'), options(RUNS.token));
    },
    FUZZ_TIMEOUT,
  );

  it(
    `POST /oauth/revoke: ${RUNS.revoke} generated requests`,
    async () => {
      await fc.assert(oauthProperty('/oauth/revoke'), options(RUNS.revoke));
    },
    FUZZ_TIMEOUT,
  );

  it(
    `POST /oauth/introspect: ${RUNS.introspect} generated requests`,
    async () => {
      await fc.assert(oauthProperty('/oauth/introspect'), options(RUNS.introspect));
    },
    FUZZ_TIMEOUT,
  );

  it(
    `GET /me: ${RUNS.me} generated Authorization headers`,
    async () => {
      remember((await passwordLogin(t)) as unknown as Record<string, unknown>);
      await fc.assert(
        fc.asyncProperty(bearerPlan, fc.option(body, { nil: undefined }), async (plan, b) => {
          const token = pick(accessTokens, String(served));
          const header =
            plan.kind === 'intact'
              ? `Bearer ${token}`
              : plan.kind === 'flip'
                ? `Bearer ${token.slice(0, plan.at % token.length)}${plan.char}${token.slice((plan.at % token.length) + 1)}`
                : plan.kind === 'cut'
                  ? `Bearer ${token.slice(0, plan.at % token.length)}`
                  : plan.kind === 'extend'
                    ? `Bearer ${token}${plan.tail}`
                    : plan.header;
          // A GET with a body is unusual but legal; the guard must not care.
          const { payload, contentType } = b ? materialize(b) : {};
          const res = await inject({
            method: 'GET',
            url: '/me',
            headers: { authorization: header, ...(contentType ? { 'content-type': contentType } : {}) },
            ...(payload !== undefined ? { payload } : {}),
          });
          const parsed = expectSane(res, `/me ${JSON.stringify(header).slice(0, 200)}`);
          expect([200, 401, 403], res.body).toContain(res.statusCode);
          if (res.statusCode === 200) expect(parsed).toMatchObject({ id: expect.any(String), client_id: FIRST_PARTY.clientId });
          else if (res.statusCode === 401) expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer /);
        }),
        options(RUNS.me),
      );
    },
    FUZZ_TIMEOUT,
  );

  it('still serves a real client afterwards: a password login, /me and a refresh succeed', async () => {
    const login = await passwordLogin(t);
    const me = await t.http().get('/me').set('Authorization', `Bearer ${login.access_token}`);
    expectStatus(me, 200);
    expect(me.body.username).toBe(ADMIN.username);
    const refreshed = await t
      .http()
      .post('/oauth/token')
      .type('form')
      .set('Authorization', basic(FIRST_PARTY))
      .send({ grant_type: 'refresh_token', refresh_token: login.refresh_token! });
    expectStatus(refreshed, 200);
    expect(served).toBeGreaterThanOrEqual(RUNS.token + RUNS.revoke + RUNS.introspect + RUNS.me);
  });
});
