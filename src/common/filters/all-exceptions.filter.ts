import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpErrorWithHeaders, NO_STORE_HEADERS } from '../http/http-errors.js';

/**
 * The last word on every error. Known HTTP errors keep their JSON body and
 * headers; anything else is logged with the request id and answered with a
 * bare 500, so no stack, SQL or path ever reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Unhandled');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception, request);
    if (reply.sent) return;
    reply.headers(headers).status(status).send(body);
  }

  private describe(exception: unknown, request: FastifyRequest) {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (isFastifyRequestError(exception) && request.url.startsWith('/oauth/')) {
        // RFC 6749 §5.2: a body the server cannot read (bad JSON, wrong media type) is
        // invalid_request; one that is too large keeps its 413.
        return {
          status: status === 413 ? 413 : 400,
          body: { error: 'invalid_request', error_description: exception.message },
          headers: { ...NO_STORE_HEADERS },
        };
      }
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : response;
      const headers = exception instanceof HttpErrorWithHeaders ? exception.headers : {};
      return { status, body, headers };
    }
    this.logger.error({ requestId: request.id, error: describeForLog(exception) }, 'Unhandled error');
    return {
      status: 500,
      body: { statusCode: 500, message: 'Internal server error', requestId: request.id },
      headers: {},
    };
  }
}

/** Fastify's own request errors (body parsing, media type, size) reach us wrapped in an HttpException. */
function isFastifyRequestError(exception: HttpException): boolean {
  const cause = exception.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && cause.code.startsWith('FST_');
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
