import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/**
 * A resource server in its own process that trusts Gatehouse access tokens.
 * It verifies each token locally against Gatehouse's published keys (JWKS),
 * as RFC 9068 §4 asks: signature by a key from the set, the algorithm pinned
 * to what Gatehouse uses, `typ` at+jwt, `iss`, `aud` and `exp`. It never calls
 * Gatehouse per request, so it cannot see a revocation or a disabled user
 * before the token expires (see README).
 */

export interface ResourceServerOptions {
  /** Gatehouse's ISSUER, exactly as it appears in the tokens' `iss`. */
  issuer: string;
  /** The `aud` Gatehouse puts in its tokens (its ACCESS_TOKEN_AUDIENCE; by default the issuer). */
  audience: string;
  /** Where Gatehouse publishes its keys; from the issuer's metadata (see discover()). */
  jwksUri: URL;
}

/** The only algorithms Gatehouse signs with. Anything else (none, HS256, …) is refused before a key is looked at. */
const ALGORITHMS = ['ES256', 'RS256'];

/** Claims every Gatehouse access token carries (RFC 9068 §2.2). */
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'];

const REALM = 'realm="external-resource-server"';

/** A small sample of what this service guards: stock levels, for tokens with inventory:read. */
const STOCK = [
  { sku: 'GH-0001', warehouse: 'A', on_hand: 120 },
  { sku: 'GH-0003', warehouse: 'B', on_hand: 250 },
];

/** RFC 8414: reads the issuer's metadata, checks it names the same issuer, and returns its jwks_uri. */
export async function discover(issuer: string): Promise<URL> {
  const response = await fetch(new URL('/.well-known/oauth-authorization-server', issuer));
  if (!response.ok) throw new Error(`Metadata of ${issuer} answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (metadata.issuer !== issuer) throw new Error(`Metadata names issuer ${String(metadata.issuer)}, expected ${issuer}`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error('Metadata has no jwks_uri');
  return new URL(metadata.jwks_uri);
}

export function createResourceServer(options: ResourceServerOptions): Server {
  // Fetched on first use and cached; an unknown kid (a rotated key) triggers a refetch, at most every 30 s.
  const jwks = createRemoteJWKSet(options.jwksUri);

  async function authenticate(req: IncomingMessage): Promise<JWTPayload & { client_id: string; scope: string }> {
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new Unauthorized(req.headers.authorization ? 'The Authorization header is not a bearer token' : null);
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        typ: 'at+jwt',
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: 30,
      });
      if (typeof payload.client_id !== 'string' || typeof payload.scope !== 'string') throw new Unauthorized('The access token lacks required claims');
      return payload as JWTPayload & { client_id: string; scope: string };
    } catch (error) {
      if (error instanceof Unauthorized) throw error;
      if (error instanceof errors.JOSEError) throw new Unauthorized(describe(error));
      throw error; // the key set could not be fetched, …: a fault of ours, not the caller's
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || !['/whoami', '/stock'].includes(url.pathname)) {
      send(res, 404, { error: 'not_found' });
      return;
    }
    const token = await authenticate(req);
    const scope = token.scope.split(' ');
    if (url.pathname === '/whoami') {
      send(res, 200, { sub: token.sub, client_id: token.client_id, scope: token.scope });
      return;
    }
    if (!scope.includes('inventory:read')) {
      send(
        res,
        403,
        { error: 'insufficient_scope', scope: 'inventory:read' },
        {
          'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", scope="inventory:read"`,
        },
      );
      return;
    }
    send(res, 200, { items: STOCK, served_to: token.client_id });
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof Unauthorized) {
        const challenge = error.description === null ? `Bearer ${REALM}` : `Bearer ${REALM}, error="invalid_token", error_description="${error.description}"`;
        send(
          res,
          401,
          { error: error.description === null ? 'unauthorized' : 'invalid_token', error_description: error.description },
          {
            'WWW-Authenticate': challenge,
          },
        );
        return;
      }
      console.error(error);
      send(res, 500, { error: 'server_error' });
    });
  });
}

/** RFC 6750 §3.1: no credentials (null description) or an invalid token. */
class Unauthorized extends Error {
  constructor(readonly description: string | null) {
    super(description ?? 'No bearer token');
  }
}

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The access token has a wrong or missing ${error.claim} claim`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token was not signed by a key of the issuer';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token algorithm is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  return 'The access token is not valid';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
