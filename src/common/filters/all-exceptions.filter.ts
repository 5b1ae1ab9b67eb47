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
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : response;
      const headers = exception instanceof HttpErrorWithHeaders ? exception.headers : {};
      return { status, body, headers };
    }
    const fastifyStatus = clientErrorStatus(exception);
    if (fastifyStatus) {
      const message = (exception as Error).message;
      if (isOAuthEndpoint(request)) {
        // RFC 6749 §5.2: a body the server cannot read is invalid_request (too large stays 413).
        const status = fastifyStatus === 413 ? 413 : 400;
        return { status, body: { error: 'invalid_request', error_description: message }, headers: { ...NO_STORE_HEADERS } };
      }
      return { status: fastifyStatus, body: { statusCode: fastifyStatus, message }, headers: {} };
    }
    this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    return {
      status: 500,
      body: { statusCode: 500, message: 'Internal server error', requestId: request.id },
      headers: {},
    };
  }
}

/** Fastify's own 4xx errors (bad JSON, body too large, bad content type) carry a statusCode and a safe message. */
function clientErrorStatus(exception: unknown): number | undefined {
  const candidate = exception as { statusCode?: unknown; code?: unknown };
  const status = candidate?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof candidate.code === 'string' && candidate.code.startsWith('FST_')) {
    return status;
  }
  return undefined;
}

const isOAuthEndpoint = (request: FastifyRequest) => request.url.startsWith('/oauth/');
