import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../common/http/http-errors.js';
import { grantScope, parseScope } from './scope.js';

describe('parseScope (RFC 6749 §3.3)', () => {
  it('is undefined when no scope was sent, so that everything allowed is granted', () => {
    expect(parseScope(undefined)).toBeUndefined();
  });

  it('splits on spaces, drops empty tokens and repeats', () => {
    expect(parseScope(' notes:read  notes:write notes:read ')).toEqual(['notes:read', 'notes:write']);
  });

  it('refuses characters outside scope-token (a quote, a backslash, a control character) as invalid_scope', () => {
    for (const raw of ['notes:read"', 'notes\\read', 'notes:read\u0001', 'nötes:read']) {
      expect(() => parseScope(raw)).toThrow(OAuthError);
      expect(() => parseScope(raw)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    }
  });
});

describe('grantScope: requested ∩ every allowed set', () => {
  const client = new Set(['notes:read', 'notes:write', 'reports:read']);
  const user = new Set(['notes:read', 'notes:write', 'clients:register']);

  it('grants, when nothing was asked, what every set allows, sorted', () => {
    expect(grantScope(undefined, client, user)).toEqual(['notes:read', 'notes:write']);
  });

  it('grants what was asked when every set allows it', () => {
    expect(grantScope(['notes:write', 'notes:read'], client, user)).toEqual(['notes:read', 'notes:write']);
  });

  it('refuses the whole request, naming what is not allowed, when one scope is outside any set (no silent narrowing into escalation)', () => {
    expect(() => grantScope(['notes:read', 'reports:read'], client, user)).toThrow(
      expect.objectContaining({ error: 'invalid_scope', description: expect.stringContaining('reports:read') }),
    );
    expect(() => grantScope(['clients:register'], client, user)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });

  it('never grants a name that is not a permission, even when every set lists it', () => {
    const odd = new Set(['notes:read', 'not-a-permission']);
    expect(grantScope(undefined, odd, odd)).toEqual(['notes:read']);
    expect(() => grantScope(['not-a-permission'], odd, odd)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });

  it('grants nothing from an empty allowed set', () => {
    expect(grantScope(undefined, new Set(), user)).toEqual([]);
  });
});
