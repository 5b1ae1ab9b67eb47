import type { FastifyRequest } from 'fastify';
import passport from 'passport';

/**
 * Runs a registered passport strategy against a request outside of a route
 * guard (a grant handler picks its strategy by grant_type). Resolves with the
 * user, or rejects with the strategy's error; `onFail` maps a plain failure.
 */
export function runStrategy<T>(name: string, request: FastifyRequest, onFail: (info: unknown) => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const middleware = passport.authenticate(name, { session: false }, (error: unknown, user: T | false, info: unknown) => {
      if (error) reject(error);
      else if (user) resolve(user);
      else reject(onFail(info));
    });
    middleware(request, {}, (error: unknown) => reject(error));
  });
}
