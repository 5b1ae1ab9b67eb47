import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { KeySetService } from '../keys/key-set.service.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import { claimsOf, keyForToken, verifyOptions } from '../tokens/access-token.verification.js';

/**
 * Bearer verification for the global guard, through passport-jwt; what makes
 * a token valid is defined once in access-token.verification.ts. The token is
 * read from the Authorization header only, never from the query string.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: KeySetService,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {
    const { algorithms, issuer, audience, ...jsonWebTokenOptions } = verifyOptions(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms,
      issuer: issuer as string,
      audience: audience as string,
      // The only way to pass clockTolerance and complete through passport-jwt.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      jsonWebTokenOptions,
      // jsonwebtoken takes a KeyObject (imported once per key load); the typings only know PEM strings.
      secretOrKeyProvider: (_request: FastifyRequest, rawJwt: string, done: (error: unknown, key?: string) => void) => {
        keyForToken(keys, rawJwt).then(
          (key) => done(null, key as unknown as string),
          (error: unknown) => done(error),
        );
      },
    });
  }

  validate(token: { header: Record<string, unknown>; payload: unknown }): AccessTokenClaims {
    return claimsOf(token, this.config);
  }
}
