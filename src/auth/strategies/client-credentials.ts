import { decodeFormComponent } from '../../common/http/body-parsers.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { OAuthParams } from '../oauth/oauth-params.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export type PresentedClientCredentials =
  | { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' }
  /** A public client (RFC 6749 §2.1): client_id alone, which only a client registered as public may use. */
  | { clientId: string; clientSecret: null; method: 'none' };

export const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="gatehouse"' };

/** Printable ASCII, as every client id and secret Gatehouse issues or accepts is; and not absurdly long. */
const plausible = (value: string) => value.length <= 512 && /^[\x20-\x7e]*$/.test(value);

/**
 * The client credentials a request presents: HTTP Basic or body parameters,
 * never both (RFC 6749 §2.3: one method per request). Null when none.
 */
export function presentedClientCredentials(authorization: string | undefined, body: unknown): PresentedClientCredentials | null {
  const params = OAuthParams.from(body);
  const bodyId = params.optional('client_id');
  const bodySecret = params.optional('client_secret');
  if (authorization !== undefined) {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    if (!match) throw new OAuthError('invalid_client', 'The Authorization header is not valid HTTP Basic', 401, BASIC_CHALLENGE);
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw new OAuthError('invalid_client', 'The Authorization header is not valid HTTP Basic', 401, BASIC_CHALLENGE);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const clientSecret = decodeFormComponent(decoded.slice(colon + 1));
    if (clientId === null || clientSecret === null) {
      throw new OAuthError('invalid_client', 'The Basic credentials are not form-urlencoded', 401, BASIC_CHALLENGE);
    }
    if (!plausible(clientId) || !plausible(clientSecret)) {
      // Never a client of ours (ids and secrets are printable and short): refused without a look-up.
      throw new OAuthError('invalid_client', 'Client authentication failed', 401, BASIC_CHALLENGE);
    }
    if (bodySecret !== undefined || (bodyId !== undefined && bodyId !== clientId)) {
      throw new OAuthError('invalid_request', 'Use one client authentication method: HTTP Basic or client_id and client_secret in the body, not both');
    }
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (bodyId === undefined && bodySecret === undefined) return null;
  if (bodyId === undefined) throw new OAuthError('invalid_client', 'Client authentication needs both client_id and client_secret', 401);
  if (bodySecret === undefined) return plausible(bodyId) ? { clientId: bodyId, clientSecret: null, method: 'none' } : null;
  return { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post' };
}
