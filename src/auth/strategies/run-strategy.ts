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
      // Whatever a strategy failed with is passed on untouched (our strategies throw OAuthErrors).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (error) reject(error);
      else if (user) resolve(user);
      else reject(onFail(info));
    }) as (request: FastifyRequest, response: object, next: (error: unknown) => void) => void;
    middleware(request, {}, (error: unknown) => reject(error));
  });
}
