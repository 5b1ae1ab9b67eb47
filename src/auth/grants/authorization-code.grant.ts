import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import type { AuthorizationCode } from '../authorize/authorization-code.entity.js';
import { AuthorizationCodes } from '../authorize/authorization-codes.service.js';
import { verifierMatches } from '../authorize/pkce.js';
import { SessionFamily } from '../authorize/session-family.entity.js';
import { AuthStateCache } from '../principal/auth-state.cache.js';
import { AccessTokenRevocations } from '../tokens/access-token-revocations.service.js';
import { AccessTokenService } from '../tokens/access-token.service.js';
import { RefreshTokenService } from '../tokens/refresh-token.service.js';
import { assertClientMayUse, type GrantHandler, type GrantRequest, type TokenResponse } from './grant-handler.js';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636): the code is redeemed once, by the
 * client it was issued to, with the same redirect URI and the verifier of
 * its challenge. A code presented again is a sign it was stolen (RFC 6749
 * §4.1.2): everything the first exchange produced is revoked.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = 'authorization_code' as const;

  constructor(
    private readonly codes: AuthorizationCodes,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly revocations: AccessTokenRevocations,
    private readonly state: AuthStateCache,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async handle({ client, params, request }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    const presented = params.required('code');
    const redirectUri = params.required('redirect_uri');
    const verifier = params.required('code_verifier');
    const code = await this.codes.find(presented);
    // Another client's code is refused without touching it: that client cannot burn or revoke this one's tokens.
    if (!code || code.clientId !== client.id) throw invalidGrant('The authorization code is invalid');
    if (code.usedAt) throw await this.replayed(code, request.ip);
    if (code.expiresAt.getTime() <= Date.now()) throw invalidGrant('The authorization code has expired');
    if (code.redirectUri !== redirectUri) throw invalidGrant('redirect_uri does not match the one of the authorization request');
    if (!verifierMatches(verifier, code.codeChallenge)) throw invalidGrant('The code_verifier does not match the code_challenge');
    const user = await this.state.user(code.userId);
    if (!user || user.disabled) throw invalidGrant('The user account is disabled');
    // What was consented to, less anything the user or the client has lost since.
    const scope = code.scope.split(' ').filter((s) => s && user.held.has(s) && client.scopes.has(s));

    // Signed first, so its jti is written in the same transaction that claims the code: a replay always
    // finds it. It carries the family it starts as `sid` (the family is written with that id below).
    const familyId = client.grantTypes.has('refresh_token') ? randomUUID() : undefined;
    const access = await this.accessTokens.issue({ subject: user.id, clientId: client.clientId, scope, grantType: this.grantType, sessionId: familyId });
    const expiresAt = new Date(access.claims.exp * 1000);
    const refreshToken = await this.transactions.run(async (m) => {
      if (!(await this.codes.claim(m, code.id, { jti: access.claims.jti, expiresAt }))) return null;
      if (!familyId) return { token: undefined };
      const started = await this.refreshTokens.startFamily(m, { id: familyId, clientId: client.id, userId: user.id, scope: scope.join(' ') });
      await m.insert(SessionFamily, { familyId: started.family.id, sessionId: code.sessionId });
      await this.codes.recordFamily(m, code.id, started.family.id);
      return { token: started.refreshToken };
    });
    if (refreshToken === null) throw await this.replayed(code, request.ip);
    const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' ') };
    if (refreshToken.token) response.refresh_token = refreshToken.token;
    return response;
  }

  /** Revokes the family and the access token the first exchange produced, records it, and says why the code is refused. */
  private async replayed(code: AuthorizationCode, ip: string): Promise<OAuthError> {
    const { used, ended } = await this.transactions.run(async (m) => {
      const current = (await this.codes.reload(m, code.id)) ?? code;
      const family = current.familyId ? await this.refreshTokens.endFamily(m, current.familyId, 'code_replay') : null;
      await this.audit.record(
        {
          type: 'token.code_replay',
          actorId: null,
          clientId: current.clientId,
          userId: current.userId,
          ip,
          details: { familyId: current.familyId, jti: current.accessTokenJti },
        },
        m,
      );
      return { used: current, ended: family };
    });
    await this.refreshTokens.announce([ended]);
    // The access token itself too: a client without refresh_token has no family whose sid would cover it.
    if (used.accessTokenJti && used.accessTokenExpiresAt) {
      await this.revocations.revoke(used.accessTokenJti, Math.floor(used.accessTokenExpiresAt.getTime() / 1000));
    }
    return invalidGrant('The authorization code was already used; the tokens issued for it are now revoked');
  }
}
