import { HttpException, HttpStatus } from '@nestjs/common';

/** An HttpException that also carries response headers (WWW-Authenticate, Retry-After, …). */
export class HttpErrorWithHeaders extends HttpException {
  constructor(
    body: Record<string, unknown>,
    status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(body, status);
  }
}

export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** The `error` codes of RFC 6749 §5.2 and its extensions; the OpenAPI schema of OAuth errors lists them. */
export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'access_denied',
  'insufficient_scope',
  'slow_down',
  'temporarily_unavailable',
  'server_error',
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

/** Every error code an answer of ours can carry: RFC 6749's and RFC 6750's `invalid_token`. */
export const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([...OAUTH_ERRORS, 'invalid_token']);

/** RFC 6749 §5.2 error: `{ error, error_description }`, never cached. */
export class OAuthError extends HttpErrorWithHeaders {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    status: number = HttpStatus.BAD_REQUEST,
    headers: Record<string, string> = {},
  ) {
    super({ error, error_description: description }, status, { ...NO_STORE_HEADERS, ...headers });
  }
}

const REALM = 'realm="gatehouse"';
const quote = (value: string) => value.replace(/["\\]/g, '');

/** RFC 6750 §3 errors for protected resources. */
export const BearerError = {
  /** No credentials at all: a challenge without an error code (RFC 6750 §3.1). */
  missing(): HttpErrorWithHeaders {
    return new HttpErrorWithHeaders({ statusCode: 401, error: 'Unauthorized', message: 'A bearer access token is required' }, 401, {
      'WWW-Authenticate': `Bearer ${REALM}`,
    });
  },
  invalidToken(description: string): HttpErrorWithHeaders {
    return new HttpErrorWithHeaders({ statusCode: 401, error: 'invalid_token', message: description }, 401, {
      'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${quote(description)}"`,
    });
  },
  insufficientScope(scope: readonly string[]): HttpErrorWithHeaders {
    const needed = scope.join(' ');
    return new HttpErrorWithHeaders({ statusCode: 403, error: 'insufficient_scope', message: `The token's scope lacks ${needed}`, scope: needed }, 403, {
      'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", scope="${quote(needed)}"`,
    });
  },
};
