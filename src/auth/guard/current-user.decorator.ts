import { createParamDecorator, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { principalOf } from './current-principal.decorator.js';

/** The user a request acts for. */
export interface CurrentUserRef {
  id: string;
  username: string;
}

/**
 * The user behind the request's token, for routes whose data belongs to a user.
 * A client-credentials token is a valid principal with no user at all: it is
 * answered with a clear 403 here rather than reaching a service that needs an
 * owner. Declaring the parameter is the whole check, so no handler can forget it.
 */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): CurrentUserRef => {
  const principal = principalOf(ctx, 'CurrentUser');
  if (principal.kind !== 'user' || !principal.userId || !principal.username) {
    throw new ForbiddenException(
      'This resource belongs to a user, and a client-credentials token acts for the client alone; sign in as a user (password grant)',
    );
  }
  return { id: principal.userId, username: principal.username };
});
