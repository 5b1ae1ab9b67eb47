import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { IssuerMetadata } from '../discovery/issuer-metadata.js';
import { DecisionUnavailableError, InvalidTokenError } from '../guard/bearer-errors.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';
import type { VerifiedToken } from './verified-token.js';

/** RFC 9068 §2.2 claims every Gatehouse access token carries. */
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'];

/**
 * Local verification, RFC 9068 §4 and RFC 8725: the key comes from Gatehouse's JWKS by `kid` only
 * (never from the token's own `jwk`/`jku`/`x5u`), the `alg` must be both allowed and that key's
 * own (jose matches the JWK's `alg`), `typ` at+jwt, `iss`, `aud`, `exp`, `iat` not in the future
 * and the lifetime bounded, all with the clock leeway. The key set is fetched once and refetched
 * on an unknown `kid`, at most once per cooldown, so forged kids cannot make us hammer Gatehouse.
 *
 * A signature cannot change, so a verified token is remembered (bounded, until it expires); only
 * tokens that verified are ever stored, so junk input cannot fill the cache.
 */
@Injectable()
export class TokenVerifier {
  private keySet: JWTVerifyGetKey | null = null;
  private readonly verified: LRUCache<string, VerifiedToken>;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly metadata: IssuerMetadata,
  ) {
    this.verified = new LRUCache({ max: options.permissionCacheSize });
  }

  async verify(raw: string): Promise<VerifiedToken> {
    const known = this.verified.get(raw);
    if (known) {
      if (known.exp + this.options.clockToleranceSeconds <= Date.now() / 1000) throw new InvalidTokenError('The access token has expired');
      return known;
    }
    const token = await this.verifySignatureAndClaims(raw);
    const ttl = (token.exp + this.options.clockToleranceSeconds) * 1000 - Date.now();
    if (ttl > 0) this.verified.set(raw, token, { ttl });
    return token;
  }

  /** Drops remembered verifications: all of them, or those of one key (retired). */
  forget(kid?: string): void {
    if (kid === undefined) {
      this.verified.clear();
      return;
    }
    const doomed = [...this.verified.entries()].filter(([, token]) => token.kid === kid);
    for (const [raw] of doomed) this.verified.delete(raw);
  }

  private async verifySignatureAndClaims(raw: string): Promise<VerifiedToken> {
    const { clockToleranceSeconds, maxTokenLifetimeSeconds } = this.options;
    const keySet = await this.keys();
    let payload: JWTPayload;
    let kid: string;
    try {
      const result = await jwtVerify(raw, requireKid(keySet), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        typ: 'at+jwt',
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: clockToleranceSeconds,
        // Also makes jose refuse an `iat` in the future (beyond the leeway).
        maxTokenAge: maxTokenLifetimeSeconds,
      });
      payload = result.payload;
      kid = result.protectedHeader.kid!;
    } catch (error) {
      throw translate(error);
    }
    const { sub, client_id, scope, iat, exp, jti, sid } = payload;
    if (typeof sub !== 'string' || typeof client_id !== 'string' || typeof scope !== 'string' || typeof jti !== 'string') {
      throw new InvalidTokenError('The access token lacks required claims');
    }
    if (sid !== undefined && typeof sid !== 'string') throw new InvalidTokenError('The access token lacks required claims');
    if (exp! - iat! > maxTokenLifetimeSeconds) throw new InvalidTokenError('The access token lives longer than this service accepts');
    return { raw, kid, sub, clientId: client_id, scope: scope.split(' ').filter(Boolean), iat: iat!, exp: exp!, jti, sid: sid ?? null };
  }

  private async keys(): Promise<JWTVerifyGetKey> {
    if (this.keySet) return this.keySet;
    let jwksUri: URL;
    try {
      ({ jwksUri } = await this.metadata.get());
    } catch (error) {
      throw new DecisionUnavailableError(`Gatehouse's metadata could not be read (${error instanceof Error ? error.message : String(error)})`);
    }
    this.keySet ??= createRemoteJWKSet(jwksUri, {
      cooldownDuration: this.options.jwksCooldownSeconds * 1000,
      timeoutDuration: this.options.requestTimeoutMs,
    });
    return this.keySet;
  }
}

/** Gatehouse always names the key; a token without a `kid` is not one of its. */
function requireKid(keySet: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (typeof header.kid !== 'string' || header.kid === '') throw new InvalidTokenError('The access token has no usable kid');
    return keySet(header, token);
  };
}

/** The same short reasons Gatehouse gives for the same failures; a key set we cannot fetch is ours to fix, not the caller's. */
function translate(error: unknown): Error {
  if (error instanceof InvalidTokenError) return error;
  // jose throws the bare JOSEError only for an unusable key-set response; fetch's own failures are not JOSE errors.
  if (
    !(error instanceof errors.JOSEError) ||
    error.constructor === errors.JOSEError ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid
  ) {
    return new DecisionUnavailableError(`Gatehouse's keys could not be fetched (${error instanceof Error ? error.message : String(error)})`);
  }
  return new InvalidTokenError(describe(error));
}

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? 'The access token lives longer than this service accepts' : 'The access token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is for another audience';
    if (error.claim === 'iss') return 'The access token is from another issuer';
    if (error.claim === 'typ') return 'The token is not an access token (typ must be at+jwt)';
    if (error.claim === 'iat' && error.reason === 'check_failed') return 'The access token was issued in the future';
    if (error.claim === 'nbf') return 'The access token is not valid yet';
    return 'The access token lacks required claims';
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'The access token was not signed by a Gatehouse key';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'The access token algorithm does not match its key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  return 'The access token is not valid';
}
