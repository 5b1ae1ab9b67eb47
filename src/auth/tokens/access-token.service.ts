import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { KeySetService } from '../keys/key-set.service.js';
import { ACCESS_TOKEN_TYP, type AccessTokenClaims } from './access-token.claims.js';
import { signJws } from './jws.js';
import { TokenIssuanceCounter } from './token-issuance.counter.js';

export interface IssuedAccessToken {
  token: string;
  claims: AccessTokenClaims;
  expiresIn: number;
}

/** Signs RFC 9068 access tokens with the active key of the shared key set. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly keys: KeySetService,
    private readonly counter: TokenIssuanceCounter,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  /** `sessionId`: the refresh-token family the token is issued from, carried as `sid` (absent for client credentials). */
  async issue(input: { subject: string; clientId: string; scope: readonly string[]; grantType: string; sessionId?: string }): Promise<IssuedAccessToken> {
    const key = await this.keys.activeKey();
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      iss: this.config.issuer,
      sub: input.subject,
      aud: this.config.audience,
      client_id: input.clientId,
      scope: input.scope.join(' '),
      iat,
      exp: iat + this.config.accessTokenTtl,
      jti: randomUUID(),
      ...(input.sessionId ? { sid: input.sessionId } : {}),
    };
    const token = signJws(key, ACCESS_TOKEN_TYP, claims);
    this.counter.count(input.grantType);
    return { token, claims, expiresIn: this.config.accessTokenTtl };
  }
}
