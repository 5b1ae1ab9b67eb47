import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlg } from '../../config/app.config.js';

export interface JwsKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
}

/** Encoded headers per key and typ: they never change for a key. */
const encodedHeaders = new WeakMap<JwsKey, Map<string, string>>();

/**
 * A compact JWS (RFC 7515 §7.1) over JSON claims, signed in one call to
 * node:crypto. ES256 signatures are R‖S as RFC 7518 §3.4 requires
 * (`ieee-p1363`), so no DER conversion is needed; RS256 is PKCS#1 v1.5. The
 * header depends only on the key and typ, and is encoded once. This replaces
 * @nestjs/jwt → jsonwebtoken → jws → jwa for signing (≈70 µs → ≈48 µs per
 * ES256 token here); verification stays with passport-jwt.
 */
export function signJws(key: JwsKey, typ: string, claims: object): string {
  let headers = encodedHeaders.get(key);
  if (!headers) encodedHeaders.set(key, (headers = new Map<string, string>()));
  let header = headers.get(typ);
  if (!header) {
    header = Buffer.from(JSON.stringify({ alg: key.alg, typ, kid: key.kid })).toString('base64url');
    headers.set(typ, header);
  }
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const options = key.alg === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' as const } : key.privateKey;
  return `${input}.${sign('sha256', Buffer.from(input), options).toString('base64url')}`;
}
