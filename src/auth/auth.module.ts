import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from '../clients/client.entity.js';
import { JwtAuthGuard } from './guard/jwt-auth.guard.js';
import { PermissionsGuard } from './guard/permissions.guard.js';
import { User } from '../users/user.entity.js';
import { UsersModule } from '../users/users.module.js';
import { AuthorizationCode } from './authorize/authorization-code.entity.js';
import { AuthorizationCodes } from './authorize/authorization-codes.service.js';
import { SessionFamily } from './authorize/session-family.entity.js';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { PasswordGrant } from './grants/password.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import { KeySetService } from './keys/key-set.service.js';
import { KeysController } from './keys/keys.controller.js';
import { ServerKeys } from './keys/server-keys.service.js';
import { ServerSecret } from './keys/server-secret.entity.js';
import { SigningKey } from './keys/signing-key.entity.js';
import { IntrospectionController } from './oauth/introspection.controller.js';
import { MetadataController } from './oauth/metadata.controller.js';
import { RevocationController } from './oauth/revocation.controller.js';
import { TokenEndpointService } from './oauth/token-endpoint.service.js';
import { TokenInspectionService } from './oauth/token-inspection.service.js';
import { TokenController } from './oauth/token.controller.js';
import { AuthStateCache } from './principal/auth-state.cache.js';
import { PrincipalLoader } from './principal/principal.loader.js';
import { ClientStrategy } from './strategies/client.strategy.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';
import { LocalStrategy } from './strategies/local.strategy.js';
import { AccessTokenRevocations } from './tokens/access-token-revocations.service.js';
import { AccessTokenService } from './tokens/access-token.service.js';
import { RefreshTokenFamily } from './tokens/refresh-token-family.entity.js';
import { RefreshToken } from './tokens/refresh-token.entity.js';
import { RefreshTokenService } from './tokens/refresh-token.service.js';
import { RefreshTokenStore } from './tokens/refresh-token.store.js';
import { RevokedAccessToken } from './tokens/revoked-access-token.entity.js';
import { SuccessorKey } from './tokens/successor-key.js';
import { TokenIssuanceCounter } from './tokens/token-issuance.counter.js';

/** The authorization server, and the global guards that protect every other route. */
@Module({
  imports: [
    PassportModule.register({ session: false }),
    TypeOrmModule.forFeature([SigningKey, ServerSecret, RefreshTokenFamily, RefreshToken, RevokedAccessToken, Client, User, AuthorizationCode, SessionFamily]),
    UsersModule,
  ],
  controllers: [TokenController, RevocationController, IntrospectionController, MetadataController, KeysController],
  providers: [
    ServerKeys,
    KeySetService,
    AccessTokenService,
    SuccessorKey,
    RefreshTokenStore,
    RefreshTokenService,
    AccessTokenRevocations,
    TokenIssuanceCounter,
    AuthStateCache,
    PrincipalLoader,
    ClientStrategy,
    LocalStrategy,
    JwtStrategy,
    PasswordGrant,
    RefreshTokenGrant,
    ClientCredentialsGrant,
    // Browser sign-in: the codes /oauth/authorize issues (SignInModule) and the grant that redeems them.
    AuthorizationCodes,
    AuthorizationCodeGrant,
    TokenEndpointService,
    TokenInspectionService,
    // Order matters: authenticate, then authorise.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: PermissionsGuard },
  ],
  exports: [ServerKeys, KeySetService, AuthStateCache, AccessTokenRevocations, RefreshTokenService, AccessTokenService, AuthorizationCodes],
})
export class AuthModule {}
