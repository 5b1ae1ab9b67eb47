import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.2: BASE64URL(SHA-256) of a verifier is exactly 43 characters of the base64url alphabet. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export const isS256Challenge = (challenge: string) => S256_CHALLENGE.test(challenge);

export const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** Whether `verifier` is well formed and hashes to `challenge`; compared in constant time. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !isS256Challenge(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256(verifier)), Buffer.from(challenge));
}
