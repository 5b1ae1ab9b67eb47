import { describe, expect, it } from 'vitest';
import { isS256Challenge, s256, verifierMatches } from './pkce.js';

describe('PKCE S256', () => {
  // RFC 7636 Appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('matches the RFC 7636 example', () => {
    expect(s256(verifier)).toBe(challenge);
    expect(verifierMatches(verifier, challenge)).toBe(true);
  });

  it('refuses another verifier, a malformed verifier, and a plain challenge', () => {
    expect(verifierMatches(`${verifier.slice(0, -1)}Y`, challenge)).toBe(false);
    expect(verifierMatches('short', s256('short'))).toBe(false);
    expect(verifierMatches(`${verifier}!`, challenge)).toBe(false);
    expect(verifierMatches(verifier, verifier)).toBe(false);
    expect(isS256Challenge(challenge)).toBe(true);
    expect(isS256Challenge(`${challenge}=`)).toBe(false);
  });
});
