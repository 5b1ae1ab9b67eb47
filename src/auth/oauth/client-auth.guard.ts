import { createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../../common/http/http-errors.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';

/** Client authentication (passport `client` strategy) for the OAuth endpoints. */
@Injectable()
export class ClientAuthGuard extends AuthGuard('client') {
  override handleRequest<T>(error: unknown, client: T): T {
    if (error) throw error as Error;
    if (!client) throw new OAuthError('invalid_client', 'Client authentication failed', 401);
    return client;
  }
}

/** The client ClientAuthGuard authenticated. */
export const CurrentClient = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedClient => ctx.switchToHttp().getRequest<FastifyRequest & { user: AuthenticatedClient }>().user,
);
