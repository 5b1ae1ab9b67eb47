import { describe, expect, it } from 'vitest';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { hashRefreshToken, isLive, type StoredToken } from './refresh-token.store.js';

const NOW = 1_000_000;

function token(overrides: Partial<RefreshToken> = {}, family: Partial<RefreshTokenFamily> = {}): StoredToken {
  return Object.assign(new RefreshToken(), {
    id: 't',
    tokenHash: 'h',
    familyId: 'f',
    parentId: null,
    createdAt: new Date(NOW - 10),
    expiresAt: new Date(NOW + 10),
    usedAt: null,
    revokedAt: null,
    ...overrides,
    family: Object.assign(new RefreshTokenFamily(), {
      id: 'f',
      clientId: 'c',
      userId: 'u',
      scope: '',
      createdAt: new Date(NOW - 10),
      expiresAt: new Date(NOW + 10),
      revokedAt: null,
      revokedReason: null,
      ...family,
    }),
  });
}

describe('isLive: the one definition of a usable refresh token', () => {
  it('is live when unused, unrevoked, in a live family, within both lifetimes', () => {
    expect(isLive(token(), NOW)).toBe(true);
  });

  it('is dead once used, revoked, or its family revoked', () => {
    expect(isLive(token({ usedAt: new Date(NOW - 1) }), NOW)).toBe(false);
    expect(isLive(token({ revokedAt: new Date(NOW - 1) }), NOW)).toBe(false);
    expect(isLive(token({}, { revokedAt: new Date(NOW - 1) }), NOW)).toBe(false);
  });

  it('is dead at the end of its idle lifetime or of its family, whichever comes first', () => {
    expect(isLive(token({ expiresAt: new Date(NOW) }), NOW)).toBe(false);
    expect(isLive(token({}, { expiresAt: new Date(NOW) }), NOW)).toBe(false);
  });
});

describe('hashRefreshToken', () => {
  it('is the hex SHA-256 of the token, so only the hash is ever stored', () => {
    expect(hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
