import { describe, expect, it } from 'vitest';
import { OAuthParams } from '../oauth/oauth-params.js';
import type { AuthStateCache, UserState } from '../principal/auth-state.cache.js';
import type { RefreshTokenFamily } from '../tokens/refresh-token-family.entity.js';
import type { RefreshTokenService, RotationContext } from '../tokens/refresh-token.service.js';
import { client, family, request, signer, user } from '../../../test/support/grant-doubles.js';
import { RefreshTokenGrant } from './refresh-token.grant.js';

/** A rotation that checks the family as the real one does, then hands out `next`. */
function rotating(candidate: RefreshTokenFamily, next = 'next-refresh-token') {
  const seen: RotationContext[] = [];
  const service = {
    rotate: async (_presented: string, context: RotationContext) => {
      seen.push(context);
      await context.assertUsable(candidate);
      return { family: candidate, refreshToken: next };
    },
  } as unknown as RefreshTokenService;
  return { service, seen };
}

const stateOf = (found: UserState | null) => ({ user: () => Promise.resolve(found) }) as unknown as AuthStateCache;

function grant(options: { found?: UserState | null; candidate?: RefreshTokenFamily } = {}) {
  const { service } = rotating(options.candidate ?? family());
  const tokens = signer();
  return { grant: new RefreshTokenGrant(tokens.service, service, stateOf(options.found === undefined ? user() : options.found)), issued: tokens.issued };
}

const params = (body: Record<string, string>) => OAuthParams.from({ grant_type: 'refresh_token', ...body });

describe('RefreshTokenGrant', () => {
  it("rotates and answers the family's scope, with an access token bound to the family (sid)", async () => {
    const { grant: g, issued } = grant();
    const answer = await g.handle({ client: client(), params: params({ refresh_token: 'r' }), request });
    expect(answer).toMatchObject({ token_type: 'Bearer', refresh_token: 'next-refresh-token', scope: 'notes:read notes:write' });
    expect(issued).toEqual([expect.objectContaining({ subject: 'user-1', sessionId: 'family-1', scope: ['notes:read', 'notes:write'] })]);
  });

  it('narrows the scope when asked, and refuses to widen it past the login (invalid_scope)', async () => {
    const { grant: g } = grant();
    expect((await g.handle({ client: client(), params: params({ refresh_token: 'r', scope: 'notes:read' }), request })).scope).toBe('notes:read');
    await expect(g.handle({ client: client(), params: params({ refresh_token: 'r', scope: 'reports:read' }), request })).rejects.toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('never grants more than the user holds now, even inside the login scope', async () => {
    const { grant: g } = grant({ found: user({ held: new Set(['notes:read']) }) });
    expect((await g.handle({ client: client(), params: params({ refresh_token: 'r' }), request })).scope).toBe('notes:read');
  });

  it('refuses a disabled or deleted user, and a family started before a cut-off of the user or the client', async () => {
    for (const setup of [
      { found: user({ disabled: true }) },
      { found: null },
      { found: user({ tokensNotBefore: 10_000 }) },
      { found: user(), candidate: family({ createdAt: new Date(5_000) }) },
    ]) {
      const { grant: g, issued } = grant(setup);
      const c = setup.candidate ? client({ tokensNotBefore: 5_000 }) : client();
      await expect(g.handle({ client: c, params: params({ refresh_token: 'r' }), request })).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(issued).toEqual([]);
    }
  });

  it('needs the refresh_token grant on the client and the refresh_token parameter', async () => {
    const { grant: g } = grant();
    await expect(g.handle({ client: client({ grantTypes: new Set(['password']) }), params: params({ refresh_token: 'r' }), request })).rejects.toMatchObject({
      error: 'unauthorized_client',
    });
    await expect(g.handle({ client: client(), params: params({}), request })).rejects.toMatchObject({ error: 'invalid_request' });
  });
});
