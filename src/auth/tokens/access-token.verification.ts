import jsonwebtoken, { type Algorithm, type VerifyOptions } from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import type { AppConfig } from '../../config/app.config.js';
import { CLOCK_LEEWAY_SECONDS, type KeySetService } from '../keys/key-set.service.js';
import { type AccessTokenClaims, hasAccessTokenClaims, isAccessTokenTyp } from './access-token.claims.js';

/**
 * The one definition of a valid Gatehouse access token (RFC 9068 §4, RFC 8725),
 * shared by the bearer guard (through passport-jwt) and by introspection and
 * revocation (which read a token from the body). The algorithm must be that
 * of our key named by `kid` — looked up in our key set only; `jwk`, `jku` and
 * `x5u` headers are never followed — `typ` must be at+jwt, and `iss`, `aud`,
 * `exp` and `nbf` are checked with a small leeway.
 */

/** Thrown for any token that is not a valid Gatehouse access token; its message is safe to show. */
export class InvalidAccessTokenError extends Error {}

export const ACCEPTED_ALGORITHMS: Algorithm[] = ['ES256', 'RS256'];

export function verifyOptions(config: AppConfig): VerifyOptions & { complete: true } {
  return {
    algorithms: ACCEPTED_ALGORITHMS,
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: CLOCK_LEEWAY_SECONDS,
    complete: true,
  };
}

/** Our public key for the token's `kid`, provided the token's `alg` is that key's. */
export async function keyForToken(keys: KeySetService, rawJwt: string): Promise<KeyObject> {
  const decoded = jsonwebtoken.decode(rawJwt, { complete: true });
  const kid = decoded?.header.kid;
  if (!decoded || typeof kid !== 'string' || kid.length > 128) throw new InvalidAccessTokenError('The access token has no usable kid');
  const key = await keys.verificationKey(kid);
  if (!key) throw new InvalidAccessTokenError('The access token was not signed by a Gatehouse key');
  if (decoded.header.alg !== key.alg) throw new InvalidAccessTokenError('The access token algorithm does not match its key');
  return key.publicKey;
}

/**
 * The claims of a signature-verified token, once `typ`, the claim set and its
 * lifetime are checked. We never issue a token that lives longer than
 * ACCESS_TOKEN_TTL or is issued in the future: one that does was not made by
 * us (a leaked key), and must not outlive that key's retirement.
 */
export function claimsOf(
  token: { header: Record<string, unknown>; payload: unknown },
  config: Pick<AppConfig, 'accessTokenTtl'>,
  now = Date.now(),
): AccessTokenClaims {
  if (!isAccessTokenTyp(token.header.typ)) throw new InvalidAccessTokenError('The token is not an access token (typ must be at+jwt)');
  const payload = token.payload as Record<string, unknown>;
  if (typeof payload !== 'object' || !hasAccessTokenClaims(payload)) throw new InvalidAccessTokenError('The access token lacks required claims');
  if (payload.iat > now / 1000 + CLOCK_LEEWAY_SECONDS) throw new InvalidAccessTokenError('The access token was issued in the future');
  if (payload.exp - payload.iat > config.accessTokenTtl + CLOCK_LEEWAY_SECONDS)
    throw new InvalidAccessTokenError('The access token lives longer than Gatehouse issues');
  const { iss, sub, aud, client_id, scope, iat, exp, jti, sid } = payload;
  return { iss, sub, aud, client_id, scope, iat, exp, jti, ...(sid === undefined ? {} : { sid }) };
}

/** Verifies a token handed over directly (introspection, revocation). */
export async function verifyAccessToken(keys: KeySetService, config: AppConfig, rawJwt: string): Promise<AccessTokenClaims> {
  const key = await keyForToken(keys, rawJwt);
  let verified: jsonwebtoken.Jwt;
  try {
    verified = jsonwebtoken.verify(rawJwt, key, verifyOptions(config));
  } catch (error) {
    throw new InvalidAccessTokenError(describeJwtError(error));
  }
  return claimsOf(verified as unknown as { header: Record<string, unknown>; payload: unknown }, config);
}

/** A safe, short reason for a jsonwebtoken failure. */
export function describeJwtError(error: unknown): string {
  if (error instanceof InvalidAccessTokenError) return error.message;
  if (error instanceof jsonwebtoken.TokenExpiredError) return 'The access token has expired';
  if (error instanceof jsonwebtoken.NotBeforeError) return 'The access token is not valid yet';
  if (error instanceof jsonwebtoken.JsonWebTokenError) {
    if (/audience/.test(error.message)) return 'The access token is for another audience';
    if (/issuer/.test(error.message)) return 'The access token is from another issuer';
    if (/signature/.test(error.message)) return 'The access token signature is invalid';
  }
  return 'The access token is not valid';
}
