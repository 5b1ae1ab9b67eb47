import { calculateJwkThumbprint, exportJWK, importJWK, jwtVerify } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signJws } from './jws.js';

describe('signJws', () => {
  const claims = { iss: 'https://issuer.test', sub: 'someone', aud: 'api', scope: 'notes:read', iat: 1_800_000_000, exp: 1_800_000_900, jti: 'j' };

  it.each([
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const)('makes %s tokens that jose verifies, with the header it was given', async (alg, pair) => {
    const kid = await calculateJwkThumbprint(await exportJWK(pair.publicKey));
    const token = signJws({ kid, alg, privateKey: pair.privateKey }, 'at+jwt', claims);
    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(await exportJWK(pair.publicKey), alg), {
      typ: 'at+jwt',
      algorithms: [alg],
      currentDate: new Date(1_800_000_100_000),
    });
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid });
    expect(payload).toEqual(claims);
  });

  it('encodes an ES256 signature as the 64 bytes R‖S, not DER', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signJws({ kid: 'k', alg: 'ES256', privateKey }, 'at+jwt', claims);
    expect(Buffer.from(token.split('.')[2], 'base64url').length).toBe(64);
  });
});
