import { ForbiddenException, HttpException, ServiceUnavailableException } from '@nestjs/common';

/** An HttpException with the response headers it must be sent with (WWW-Authenticate, Retry-After). */
export class ChallengeException extends HttpException {
  constructor(
    body: Record<string, unknown>,
    status: number,
    readonly headers: Record<string, string>,
  ) {
    super(body, status);
  }
}

/** A reason a token is refused (401 invalid_token); the message is safe to show the caller. */
export class InvalidTokenError extends Error {}

/** Gatehouse could not be asked (metadata, keys or introspection unreachable), or the event stream is down past its bound. */
export class DecisionUnavailableError extends Error {}

const quote = (value: string) => value.replace(/["\\]/g, '');

/**
 * RFC 6750 §3 answers, byte for byte what Gatehouse's own guard sends (its `BearerError`), so a
 * client sees one behaviour whichever service it calls.
 */
export function bearerErrors(realm: string) {
  const realmParam = `realm="${quote(realm)}"`;
  return {
    /** No credentials at all: a challenge without an error code (RFC 6750 §3.1). */
    missing: () =>
      new ChallengeException({ statusCode: 401, error: 'Unauthorized', message: 'A bearer access token is required' }, 401, {
        'WWW-Authenticate': `Bearer ${realmParam}`,
      }),
    invalidToken: (description: string) =>
      new ChallengeException({ statusCode: 401, error: 'invalid_token', message: description }, 401, {
        'WWW-Authenticate': `Bearer ${realmParam}, error="invalid_token", error_description="${quote(description)}"`,
      }),
    insufficientScope: (scope: readonly string[]) => {
      const needed = scope.join(' ');
      return new ChallengeException({ statusCode: 403, error: 'insufficient_scope', message: `The token's scope lacks ${needed}`, scope: needed }, 403, {
        'WWW-Authenticate': `Bearer ${realmParam}, error="insufficient_scope", scope="${quote(needed)}"`,
      });
    },
    /** In scope but not held: not a token problem, so no challenge. */
    notHeld: (permissions: readonly string[]) => new ForbiddenException(`Requires permission ${permissions.join(', ')}`),
    /** Not the caller's fault and not a verdict on the token: retry later. The reason is logged, not shown. */
    unavailable: () => {
      const error = new ServiceUnavailableException('Access decisions are unavailable right now; try again shortly');
      return new ChallengeException(error.getResponse() as Record<string, unknown>, 503, { 'Retry-After': '5' });
    },
  };
}

export type BearerErrors = ReturnType<typeof bearerErrors>;

/**
 * Puts the headers on the response before Nest's exception layer writes the body, so they survive
 * whichever exception filter the service has. Fastify's reply and Express's response both have `header()`.
 */
export function applyHeaders(response: unknown, headers: Record<string, string>): void {
  const target = response as { header?: (name: string, value: string) => unknown };
  if (typeof target.header !== 'function') return;
  for (const [name, value] of Object.entries(headers)) target.header(name, value);
}
