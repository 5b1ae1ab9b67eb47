import { ForbiddenException, HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../common/permissions.js';
import { GrantPolicy, LOCAL_OPERATOR } from './grant-policy.js';

const manager = { permissions: ['users:manage'] };
const reviewer = { permissions: ['clients:review', 'clients:register', 'reports:read'] };

function thrown(run: () => void): HttpException {
  try {
    run();
  } catch (error) {
    return error as HttpException;
  }
  throw new Error('expected a refusal');
}

describe('GrantPolicy', () => {
  it('lets an actor grant what it holds, and nothing else, naming what it lacks (403)', () => {
    expect(() => GrantPolicy.assertCanGrant(manager, ['users:manage'])).not.toThrow();
    const refusal = thrown(() => GrantPolicy.assertCanGrant(manager, ['users:manage', 'keys:manage', 'notes:read', 'keys:manage']));
    expect(refusal).toBeInstanceOf(ForbiddenException);
    expect(refusal.getResponse()).toMatchObject({ statusCode: 403, missing_permissions: ['keys:manage', 'notes:read'] });
    expect(refusal.message).toContain('keys:manage, notes:read');
  });

  it('holds nothing for an actor with no permissions, and grants the empty set to anyone', () => {
    expect(() => GrantPolicy.assertCanGrant({ permissions: [] }, ['notes:read'])).toThrow(ForbiddenException);
    expect(() => GrantPolicy.assertCanGrant({ permissions: [] }, [])).not.toThrow();
  });

  it('gives the intersection as what may be granted, in the order asked, without repeats', () => {
    expect(GrantPolicy.grantable(reviewer, ['users:manage', 'reports:read', 'clients:review', 'reports:read'])).toEqual(['reports:read', 'clients:review']);
    expect(GrantPolicy.grantable(reviewer, ['users:manage'])).toEqual([]);
  });

  it('lets a registrant request only scopes it holds, the OpenID scopes aside (400 invalid_scope)', () => {
    expect(() => GrantPolicy.assertCanRequest(reviewer, ['reports:read', 'openid', 'profile', 'email'])).not.toThrow();
    const refusal = thrown(() => GrantPolicy.assertCanRequest(reviewer, ['reports:read', 'users:manage', 'openid']));
    expect(refusal.getStatus()).toBe(400);
    expect(refusal.getResponse()).toMatchObject({ error: 'invalid_scope', missing_permissions: ['users:manage'] });
  });

  it('trusts the local operator with the whole catalogue', () => {
    expect(() => GrantPolicy.assertCanGrant(LOCAL_OPERATOR, ALL_PERMISSIONS)).not.toThrow();
  });
});
