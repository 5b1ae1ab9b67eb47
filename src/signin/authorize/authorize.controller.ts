import { applyDecorators, Body, Controller, Get, Header, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../auth/guard/public.decorator.js';
import { OAuthThrottlerGuard } from '../../throttling/oauth-throttler.guard.js';
import { AuthorizeFlow } from './authorize.flow.js';

/** The authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1). */
const AuthorizationRequestQuery = () =>
  applyDecorators(
    ApiQuery({ name: 'response_type', required: true, enum: ['code'] }),
    ApiQuery({ name: 'client_id', required: true }),
    ApiQuery({ name: 'redirect_uri', required: true, description: 'Exactly as registered (on http://127.0.0.1 or http://[::1] the port may differ)' }),
    ApiQuery({ name: 'code_challenge', required: true, description: 'BASE64URL(SHA-256(code_verifier)), 43 characters' }),
    ApiQuery({ name: 'code_challenge_method', required: true, enum: ['S256'] }),
    ApiQuery({ name: 'scope', required: false, description: 'Space-separated permissions; omitted: everything the client may have' }),
    ApiQuery({ name: 'state', required: false, description: 'Returned unchanged with the answer' }),
    ApiQuery({ name: 'prompt', required: false, enum: ['none', 'login', 'consent'] }),
    ApiQuery({ name: 'nonce', required: false }),
    ApiQuery({ name: 'max_age', required: false, description: 'Seconds since sign-in after which the user must sign in again' }),
    ApiQuery({ name: 'login_hint', required: false, description: 'Username to fill in on the login page' }),
  );

/** What every step of the browser flow answers besides its own success. */
const PageErrors = () =>
  applyDecorators(
    ApiProduces('text/html'),
    ApiBadRequestResponse({ description: 'HTML page: the client or redirect_uri is unknown or does not match, so nothing is redirected' }),
    ApiResponse({ status: 403, description: 'HTML page: the client is pending review, rejected or suspended; or the CSRF token is missing or wrong' }),
    ApiTooManyRequestsResponse({ description: 'Rate limited (RATE_LIMIT_PER_MINUTE), or on the login form: too many failed attempts, with Retry-After' }),
  );

const STYLESHEET = readFileSync(join(import.meta.dirname, '..', 'pages', 'assets', 'signin.css'), 'utf8');

/**
 * The browser side of the authorization code flow. Public (the browser has no
 * token); the forms are CSRF-protected, and every answer is a page or a
 * redirect (see AuthorizeFlow).
 */
@ApiTags('oauth')
@Controller()
@Public()
@UseGuards(OAuthThrottlerGuard)
export class AuthorizeController {
  constructor(private readonly flow: AuthorizeFlow) {}

  @Get('oauth/authorize')
  @ApiOperation({ summary: 'Authorization endpoint (RFC 6749 §4.1, PKCE S256 required): the sign-in and consent pages, then a redirect with a code' })
  @AuthorizationRequestQuery()
  @PageErrors()
  @ApiOkResponse({ description: 'The login or consent page (HTML)' })
  @ApiFoundResponse({ description: 'Back to the redirect_uri with code, state and iss (or error, error_description, state, iss)' })
  authorize(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.flow.authorize(query, request, reply);
  }

  @Post('oauth/authorize')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'Authorization endpoint, the same parameters as a form (OpenID Connect Core §3.1.2.1)' })
  @PageErrors()
  @ApiOkResponse({ description: 'The login or consent page (HTML)' })
  @ApiResponse({ status: 302, description: 'Back to the redirect_uri with code, state and iss (or an error)' })
  authorizeByPost(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.flow.authorize(body, request, reply);
  }

  @Post('oauth/authorize/login')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: "The login page's form: username, password, the CSRF token and the authorization request's fields" })
  @ApiOkResponse({ description: 'The consent page (HTML)' })
  @ApiResponse({ status: 303, description: 'Signed in: back to the redirect_uri with a code (trusted client, or consent already given)' })
  @ApiResponse({ status: 401, description: 'HTML login page again: the username or password is incorrect' })
  @PageErrors()
  submitLogin(@Body() body: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.flow.submitLogin(body ?? {}, request, reply);
  }

  @Post('oauth/authorize/consent')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: "The consent page's form: decision=allow or decision=deny, with the CSRF token" })
  @ApiOkResponse({ description: 'HTML login page: the session ended before the decision arrived' })
  @ApiResponse({ status: 303, description: 'Back to the redirect_uri: a code (allow) or error=access_denied (deny)' })
  @PageErrors()
  submitConsent(@Body() body: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.flow.submitConsent(body ?? {}, request, reply);
  }

  /** The pages' own stylesheet: served from here, so the CSP can allow 'self' and nothing else. */
  @Get('signin/assets/signin.css')
  @ApiOperation({ summary: "The sign-in pages' stylesheet" })
  @ApiProduces('text/css')
  @ApiOkResponse({ description: 'CSS' })
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return STYLESHEET;
  }
}
