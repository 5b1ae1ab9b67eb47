import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter, HttpException, Logger, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { Metrics } from '../../metrics/metrics.service.js';
import { HttpErrorWithHeaders, NO_STORE_HEADERS, OAUTH_ERROR_CODES } from '../http/http-errors.js';

/**
 * A request the server cannot read at all (a body that is not UTF-8, JSON
 * nested too deep, NUL in the URL), refused before any route sees it. It is
 * answered like Fastify's own body errors: invalid_request on the OAuth
 * endpoints, Nest's JSON error shape elsewhere.
 */
export class UnreadableRequestException extends BadRequestException {}

/**
 * A body whose Content-Type declares a charset other than UTF-8: `415`, never
 * read as UTF-8 anyway (two byte strings could then become one password).
 * On the OAuth endpoints, `400 invalid_request` like any unreadable body.
 */
export class UnsupportedCharsetException extends UnsupportedMediaTypeException {}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * The last word on every error. Known HTTP errors keep their JSON body and
 * headers; anything else is logged with the request id and answered with a
 * bare 500, so no stack, SQL or path ever reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Unhandled');

  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception, request);
    const reason = failureReason(body, headers);
    if (reason) this.metrics.failures.labels(reason).inc();
    if (reply.sent) return;
    reply.headers(headers).status(status).send(body);
  }

  private describe(exception: unknown, request: FastifyRequest): Answer {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (
        isOAuthRequest(request) &&
        (isFastifyRequestError(exception) || exception instanceof UnreadableRequestException || exception instanceof UnsupportedCharsetException)
      ) {
        // RFC 6749 §5.2: a body the server cannot read (bad JSON, wrong media type, not UTF-8) is
        // invalid_request; one that is too large keeps its 413.
        return oauthInvalidRequest(status === 413 ? 413 : 400, exception.message);
      }
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : response;
      const headers = exception instanceof HttpErrorWithHeaders ? exception.headers : {};
      return { status, body, headers };
    }
    if (isDataException(exception)) {
      // The database refused a value that no validation caught (PostgreSQL cannot store NUL, say).
      // The input was bad, so 400; logged, because the check belongs at the edge.
      this.logger.warn({ requestId: request.id, error: describeForLog(exception) }, 'Input refused by the database');
      const description = 'The request contains a value that cannot be processed';
      if (isOAuthRequest(request)) return oauthInvalidRequest(400, description);
      return { status: 400, body: { statusCode: 400, message: description, error: 'Bad Request' }, headers: {} };
    }
    this.logger.error({ requestId: request.id, error: describeForLog(exception) }, 'Unhandled error');
    if (isOAuthRequest(request)) {
      // RFC 6749 §5.2 speaks for the OAuth endpoints even when we fail: a client library reads `error`.
      return {
        status: 500,
        body: { error: 'server_error', error_description: `Internal server error (request id ${request.id})` },
        headers: { ...NO_STORE_HEADERS },
      };
    }
    return {
      status: 500,
      body: { statusCode: 500, message: 'Internal server error', requestId: request.id },
      headers: {},
    };
  }
}

/**
 * The RFC 6749 / RFC 6750 error code an answer carries, for the failure count:
 * only codes from the closed list, so a label can never be client-chosen.
 */
function failureReason(body: unknown, headers: Partial<Record<string, string>>): string | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string' && OAUTH_ERROR_CODES.has(error)) return error;
  if (headers['WWW-Authenticate']?.startsWith('Bearer')) return 'token_missing';
  return undefined;
}

const isOAuthRequest = (request: FastifyRequest) => request.url.startsWith('/oauth/');

function oauthInvalidRequest(status: number, description: string): Answer {
  return { status, body: { error: 'invalid_request', error_description: description }, headers: { ...NO_STORE_HEADERS } };
}

/** Fastify's own request errors (body parsing, media type, size) reach us wrapped in an HttpException. */
function isFastifyRequestError(exception: HttpException): boolean {
  const cause = exception.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && cause.code.startsWith('FST_');
}

/** PostgreSQL SQLSTATE class 22 (data exception): a value the column or operator cannot take. */
function isDataException(exception: unknown): boolean {
  if (!(exception instanceof QueryFailedError)) return false;
  const code = (exception.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * Name, message and stack only: driver errors carry the failed query's
 * parameters as properties, and those can hold hashes or digests.
 */
function describeForLog(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) return { value: String(exception) };
  const code = (exception as { code?: unknown }).code;
  return { name: exception.name, message: exception.message, stack: exception.stack, ...(typeof code === 'string' ? { code } : {}) };
}
