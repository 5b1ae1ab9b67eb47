/**
 * The floor for figures 7 and 8: the least a Fastify server can do for the same two jobs, with
 * nothing of Nest, of the database or of the auth model in the way.
 *
 * - `GET /me` verifies the caller's ES256 access token (Gatehouse's own, against Gatehouse's key,
 *   fetched once at start: "a cached key") with jose, and answers its subject.
 * - `POST /token` is a client_credentials endpoint: parse the form, compare the client secret's
 *   digest in constant time, sign an ES256 JWT with node:crypto (as Gatehouse does), reply.
 *
 * Run as a child process by the bench: PORT, JWKS_URL, ISSUER, AUDIENCE, CLIENT_ID, CLIENT_SECRET
 * and SCOPE come from the environment; it prints `listening <url>` when ready.
 */
import Fastify from 'fastify';
import { createHash, generateKeyPairSync, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};
const port = Number(env('PORT'));
const issuer = env('ISSUER');
const audience = env('AUDIENCE');
const clientId = env('CLIENT_ID');
const secretDigest = createHash('sha256').update(env('CLIENT_SECRET')).digest();
const scope = env('SCOPE');

const jwks = (await (await fetch(env('JWKS_URL'))).json()) as JSONWebKeySet;
const gatehouseKeys = createLocalJWKSet(jwks);

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'bare' })).toString('base64url');

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});

app.get('/me', async (request, reply) => {
  const authorization = request.headers.authorization ?? '';
  if (!authorization.startsWith('Bearer ')) return reply.code(401).send({ error: 'unauthorized' });
  try {
    const { payload } = await jwtVerify(authorization.slice(7), gatehouseKeys, { algorithms: ['ES256'], issuer, audience });
    return { sub: payload.sub };
  } catch {
    return reply.code(401).send({ error: 'unauthorized' });
  }
});

app.post('/token', async (request, reply) => {
  const fields = request.body as Record<string, string | undefined>;
  const [id, secret] = basicCredentials(request.headers.authorization);
  const presented = createHash('sha256')
    .update(secret ?? '')
    .digest();
  if (id !== clientId || !timingSafeEqual(presented, secretDigest)) return reply.code(401).send({ error: 'invalid_client' });
  if (fields.grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' });
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, sub: clientId, aud: audience, exp: now + 900, iat: now, jti: randomUUID(), client_id: clientId, scope };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  void reply.header('cache-control', 'no-store');
  return { access_token: `${input}.${signature}`, token_type: 'Bearer', expires_in: 900, scope };
});

function basicCredentials(authorization: string | undefined): [string | undefined, string | undefined] {
  if (!authorization?.startsWith('Basic ')) return [undefined, undefined];
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [undefined, undefined];
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

const url = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
