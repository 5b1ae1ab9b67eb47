import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { Client } from '../../clients/client.entity.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { KeySetService } from '../keys/key-set.service.js';
import { AuthStateCache } from '../principal/auth-state.cache.js';
import { PrincipalLoader } from '../principal/principal.loader.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import { AccessTokenRevocations } from '../tokens/access-token-revocations.service.js';
import { verifyAccessToken } from '../tokens/access-token.verification.js';
import { RefreshTokenService } from '../tokens/refresh-token.service.js';
import { isCutOff } from '../tokens/token-cutoff.js';
import type { IntrospectionResponseDto } from './dto/introspection.dto.js';

type Hint = 'access_token' | 'refresh_token';

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** RFC 7009 revocation and RFC 7662 introspection: both take a token of either kind. */
@Injectable()
export class TokenInspectionService {
  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly keys: KeySetService,
    private readonly principals: PrincipalLoader,
    private readonly state: AuthStateCache,
    private readonly refreshTokens: RefreshTokenService,
    private readonly revocations: AccessTokenRevocations,
    private readonly audit: AuditService,
  ) {}

  /** Revokes `token` if it is one of `client`'s; silent otherwise (RFC 7009 §2.2). */
  async revoke(token: string, hint: string | undefined, client: AuthenticatedClient, ip: string | null): Promise<void> {
    for (const kind of this.order(token, hint)) {
      if (kind === 'refresh_token') {
        if (await this.refreshTokens.revokeByToken(token, client.id, { actorId: client.clientId, ip })) return;
        continue;
      }
      const claims = await this.claims(token);
      if (!claims) continue;
      if (claims.client_id !== client.clientId) return;
      await this.revocations.revoke(claims.jti, claims.exp);
      await this.audit.record({
        type: 'token.revoked',
        actorId: client.clientId,
        clientId: client.id,
        userId: claims.sub === claims.client_id ? null : claims.sub,
        ip,
        details: { tokenType: 'access_token', jti: claims.jti },
      });
      return;
    }
  }

  async introspect(token: string, hint: string | undefined): Promise<IntrospectionResponseDto> {
    for (const kind of this.order(token, hint)) {
      const answer = kind === 'access_token' ? await this.introspectAccess(token) : await this.introspectRefresh(token);
      if (answer) return answer;
    }
    return { active: false };
  }

  private async introspectAccess(token: string): Promise<IntrospectionResponseDto | null> {
    const claims = await this.claims(token);
    if (!claims) return null;
    const principal = await this.principals.tryLoad(claims);
    if (typeof principal === 'string') return null;
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      username: principal.username ?? undefined,
      permissions: [...principal.permissions],
      token_type: 'access_token',
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
    };
  }

  private async introspectRefresh(token: string): Promise<IntrospectionResponseDto | null> {
    const live = await this.refreshTokens.findLive(token);
    if (!live) return null;
    const client = await this.clients.findOne({ where: { id: live.family.clientId } });
    const user = await this.state.user(live.family.userId);
    if (!client?.clientId || client.status !== 'approved' || !user || user.disabled) return null;
    const startedAt = live.family.createdAt.getTime();
    if (isCutOff(startedAt, user.tokensNotBefore, client.tokensNotBefore?.getTime() ?? 0)) return null;
    return {
      active: true,
      scope: live.family.scope,
      client_id: client.clientId,
      username: user.username,
      token_type: 'refresh_token',
      exp: Math.floor(live.expiresAt.getTime() / 1000),
      iat: Math.floor(live.createdAt.getTime() / 1000),
      sub: user.id,
      iss: this.config.issuer,
      jti: live.id,
    };
  }

  private async claims(token: string): Promise<AccessTokenClaims | null> {
    if (!looksLikeJwt(token)) return null;
    return verifyAccessToken(this.keys, this.config, token).catch(() => null);
  }

  /** The hint only decides which kind is tried first (RFC 7009 §2.1). */
  private order(token: string, hint: string | undefined): Hint[] {
    const first: Hint = hint === 'refresh_token' || (hint !== 'access_token' && !looksLikeJwt(token)) ? 'refresh_token' : 'access_token';
    return first === 'access_token' ? ['access_token', 'refresh_token'] : ['refresh_token', 'access_token'];
  }
}
