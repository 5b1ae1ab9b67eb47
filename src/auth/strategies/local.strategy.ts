import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { OAuthError } from '../../common/http/http-errors.js';
import { PasswordService } from '../../users/password.service.js';
import { UsersService } from '../../users/users.service.js';
import { toUserState, type UserState } from '../principal/auth-state.cache.js';

/**
 * The resource owner's credentials for the password grant. An unknown
 * username and a wrong password give the same answer after the same bcrypt
 * work; a disabled account is only reported once the password was right.
 */
/** Wrong username or password: what the guessing protection counts. */
export class BadCredentialsError extends OAuthError {
  /** For the audit log only (a typed password must not be logged as a username); the answer is the same. */
  constructor(readonly accountExists: boolean) {
    super('invalid_grant', 'The username or password is incorrect');
  }
}

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
  ) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(_request: FastifyRequest, username: string, password: string): Promise<UserState> {
    const user = await this.users.findByUsername(username);
    const valid = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !valid) throw new BadCredentialsError(user !== null);
    if (user.disabled) throw new OAuthError('invalid_grant', 'The user account is disabled');
    return toUserState(user);
  }
}
