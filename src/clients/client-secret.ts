import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are made here: 256 random bits, base64url. Being that strong,
 * they are stored as a SHA-256 digest; a slow hash would add cost to every
 * client authentication and no safety.
 */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored digest. */
export function secretMatches(presented: string, digest: string | null): boolean {
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  const expected = digest ? Buffer.from(digest, 'hex') : null;
  if (!expected || expected.length !== actual.length) {
    timingSafeEqual(actual, actual); // same work as a real comparison
    return false;
  }
  return timingSafeEqual(actual, expected);
}

/** Public client identifiers: unguessable, and never shaped like a user id (a uuid). */
export function generateClientId(): string {
  return `gh_${randomBytes(16).toString('base64url')}`;
}
