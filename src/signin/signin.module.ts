import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { Client } from '../clients/client.entity.js';
import { UsersModule } from '../users/users.module.js';
import { AuthorizeController } from './authorize/authorize.controller.js';
import { AuthorizeFlow } from './authorize/authorize.flow.js';
import { SignInClients } from './clients/signin-client.js';
import { Consent } from './consents/consent.entity.js';
import { ConsentsService } from './consents/consents.service.js';
import { MeConsentsController } from './consents/me-consents.controller.js';
import { PublicClientOrigins } from './http/public-client-origins.js';
import { LoginService } from './login/login.service.js';
import { PageRenderer } from './pages/page-renderer.js';
import { SignInSession } from './sessions/signin-session.entity.js';
import { SessionsService } from './sessions/sessions.service.js';

/** Browser sign-in: the authorization endpoint, its login and consent pages, sessions and consents. */
@Module({
  imports: [TypeOrmModule.forFeature([SignInSession, Consent, Client]), AuthModule, UsersModule],
  controllers: [AuthorizeController, MeConsentsController],
  providers: [AuthorizeFlow, SignInClients, SessionsService, ConsentsService, LoginService, PageRenderer, PublicClientOrigins],
  exports: [SessionsService, PublicClientOrigins],
})
export class SignInModule {}
