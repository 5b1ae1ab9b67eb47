import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationCodes } from '../../auth/authorize/authorization-codes.service.js';
import { grantScope } from '../../auth/grants/scope.js';
import { AuthStateCache, type UserState } from '../../auth/principal/auth-state.cache.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { PERMISSIONS, isPermission } from '../../common/permissions.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { SignInClients, type SignInClient } from '../clients/signin-client.js';
import { ConsentsService } from '../consents/consents.service.js';
import { deviceIdOf, rememberDevice } from '../login/device-cookie.js';
import { LoginRefused, LoginService } from '../login/login.service.js';
import { formTargetOf, PageRenderer } from '../pages/page-renderer.js';
import { type ActiveSession, SessionsService } from '../sessions/sessions.service.js';
import {
  type AuthorizationRequest,
  carriedFields,
  ClientNotApprovedError,
  parseAuthorizationRequest,
  RedirectableError,
  UntrustedRequestError,
} from './authorization-request.js';

const STATUS_PAGES = {
  pending: {
    symbol: '…',
    statusWord: 'Awaiting review',
    heading: 'This application is awaiting review',
    explanation: 'has registered with this server, but an administrator has not approved it yet, so it cannot sign you in.',
  },
  rejected: {
    symbol: '✕',
    statusWord: 'Rejected',
    heading: 'This application was not approved',
    explanation: 'was reviewed by an administrator and turned down; it cannot sign you in.',
  },
  suspended: {
    symbol: '⏸',
    statusWord: 'Suspended',
    heading: 'This application is suspended',
    explanation: 'has been suspended by an administrator; it cannot sign you in until it is reinstated.',
  },
} as const;

/**
 * The authorization endpoint's steps (RFC 6749 §4.1, RFC 9700): check the
 * request, sign the user in, ask consent, answer with a code. Each step sends
 * its own answer: a page, or a redirect to the client.
 */
@Injectable()
export class AuthorizeFlow {
  private readonly secureCookies: boolean;

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly clients: SignInClients,
    private readonly sessions: SessionsService,
    private readonly consents: ConsentsService,
    private readonly login: LoginService,
    private readonly codes: AuthorizationCodes,
    private readonly state: AuthStateCache,
    private readonly pages: PageRenderer,
  ) {
    this.secureCookies = config.issuer.startsWith('https:');
  }

  /** GET or POST /oauth/authorize. */
  async authorize(params: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.guarded(reply, 302, async () => {
      const req = await parseAuthorizationRequest(params, (id) => this.clients.find(id));
      const signedIn = await this.signedInUser(request);
      const fresh = signedIn && (req.maxAge === undefined || Date.now() - signedIn.session.authTime.getTime() <= req.maxAge * 1000);
      if (!signedIn || !fresh || req.prompt.has('login')) {
        if (req.prompt.has('none')) throw new RedirectableError('login_required', 'The user is not signed in', req);
        return this.loginPage(reply, req, params, 200, null);
      }
      return this.afterSignIn(req, params, signedIn.session, signedIn.user, reply, 302);
    });
  }

  /** POST /oauth/authorize/login: the login form. */
  async submitLogin(body: Record<string, unknown>, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.guarded(reply, 303, async () => {
      const req = await parseAuthorizationRequest(body, (id) => this.clients.find(id));
      await this.checkCsrf(request, reply);
      const username = typeof body.username === 'string' ? body.username : '';
      const password = typeof body.password === 'string' ? body.password : '';
      let user: UserState;
      try {
        if (!username || !password) throw new LoginRefused({ reason: 'credentials' });
        user = await this.login.signIn({
          username,
          password,
          ip: request.ip,
          deviceId: deviceIdOf(request),
          clientId: req.client.id,
          publicClientId: req.client.clientId,
        });
      } catch (error) {
        if (!(error instanceof LoginRefused)) throw error;
        const { refusal } = error;
        const message =
          refusal.reason === 'throttled' ? `Too many attempts. Try again in ${refusal.retryAfter} seconds.` : 'The username or password is incorrect.';
        if (refusal.reason === 'throttled') reply.header('Retry-After', String(refusal.retryAfter));
        return this.loginPage(reply, req, body, refusal.reason === 'throttled' ? 429 : 401, message, username);
      }
      const session = await this.sessions.start(user.id, reply);
      rememberDevice(request, reply, this.secureCookies);
      // Just signed in: prompt=login and max_age are satisfied, and prompt=none no longer applies.
      const rest = { ...req, prompt: new Set([...req.prompt].filter((p) => p === 'consent')) };
      return this.afterSignIn(rest, body, session, user, reply, 303);
    });
  }

  /** POST /oauth/authorize/consent: the consent form's allow or deny. */
  async submitConsent(body: Record<string, unknown>, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.guarded(reply, 303, async () => {
      const req = await parseAuthorizationRequest(body, (id) => this.clients.find(id));
      await this.checkCsrf(request, reply);
      const signedIn = await this.signedInUser(request);
      if (!signedIn) return this.loginPage(reply, req, body, 200, 'Your session has ended. Sign in again to continue.');
      const decision = body.decision;
      if (decision === 'deny') throw new RedirectableError('access_denied', 'The user denied the request', req);
      if (decision !== 'allow') throw new UntrustedRequestError('Nothing was decided', 'The consent form must be answered with Allow or Deny.');
      const scope = this.grantedScope(req, signedIn.user);
      await this.consents.grant(signedIn.user.id, req.client.id, scope, request.ip);
      return this.issueCode(req, scope, signedIn.session, reply, 303);
    });
  }

  /** Signed in: skip consent for a trusted client or one already allowed these scopes, else ask. */
  private async afterSignIn(
    req: AuthorizationRequest,
    params: unknown,
    session: ActiveSession,
    user: UserState,
    reply: FastifyReply,
    status: 302 | 303,
  ): Promise<FastifyReply> {
    const scope = this.grantedScope(req, user);
    const askAgain = req.prompt.has('consent');
    if (req.client.trusted || (!askAgain && (await this.consents.covers(user.id, req.client.id, scope)))) {
      return this.issueCode(req, scope, session, reply, status);
    }
    if (req.prompt.has('none')) throw new RedirectableError('consent_required', 'The user has not consented to these scopes', req);
    return this.pages.send(
      reply,
      200,
      'consent',
      {
        client: { name: req.client.name, description: req.client.description, reviewed: req.client.reviewed, registeredBy: req.client.registeredBy },
        username: user.username,
        scopes: scope.map((name) => ({ name, words: isPermission(name) ? PERMISSIONS[name].description : name })),
        hidden: carriedFields(params, ['prompt', 'max_age', 'login_hint']),
        csrfToken: reply.generateCsrf(),
      },
      this.formTargets(req),
    );
  }

  private grantedScope(req: AuthorizationRequest, user: UserState): string[] {
    try {
      return grantScope(req.scope, req.client.scopes, user.held);
    } catch (error) {
      if (error instanceof OAuthError) throw new RedirectableError(error.error, error.description, req);
      throw error;
    }
  }

  private async issueCode(req: AuthorizationRequest, scope: string[], session: ActiveSession, reply: FastifyReply, status: 302 | 303): Promise<FastifyReply> {
    const code = await this.codes.issue({
      clientId: req.client.id,
      userId: session.userId,
      sessionId: session.id,
      redirectUri: req.redirectUri,
      codeChallenge: req.codeChallenge,
      scope,
      nonce: req.nonce ?? null,
      authTime: session.authTime,
    });
    return this.redirect(reply, status, req, { code });
  }

  private loginPage(reply: FastifyReply, req: AuthorizationRequest, params: unknown, status: number, error: string | null, username?: string): FastifyReply {
    return this.pages.send(
      reply,
      status,
      'login',
      {
        clientName: req.client.name,
        error,
        username: username ?? req.loginHint ?? '',
        hidden: carriedFields(params, ['max_age', 'login_hint']),
        csrfToken: reply.generateCsrf(),
      },
      this.formTargets(req),
    );
  }

  /** RFC 6749 §4.1.2 and RFC 9207: the answer goes back as query parameters, always with `iss`. */
  private redirect(
    reply: FastifyReply,
    status: number,
    target: Pick<AuthorizationRequest, 'redirectUri' | 'state'>,
    values: Record<string, string>,
  ): FastifyReply {
    const url = new URL(target.redirectUri);
    for (const [name, value] of Object.entries(values)) url.searchParams.set(name, value);
    if (target.state !== undefined) url.searchParams.set('state', target.state);
    url.searchParams.set('iss', this.config.issuer);
    return reply.status(status).header('Cache-Control', 'no-store').header('Location', url.toString()).send();
  }

  /** Runs a step; what it throws becomes the right page or redirect. */
  private async guarded(reply: FastifyReply, redirectStatus: 302 | 303, step: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof RedirectableError) {
        return this.redirect(reply, redirectStatus, error.request, { error: error.error, error_description: error.description });
      }
      if (error instanceof ClientNotApprovedError) return this.statusPage(reply, error.client);
      if (error instanceof UntrustedRequestError) return this.pages.send(reply, 400, 'error', { heading: error.heading, message: error.message });
      if (error instanceof CsrfError) {
        return this.pages.send(reply, 403, 'error', { heading: 'This form has expired', message: 'Go back to the application and start signing in again.' });
      }
      throw error;
    }
  }

  private statusPage(reply: FastifyReply, client: SignInClient): FastifyReply {
    const status = client.status === 'approved' ? 'suspended' : client.status;
    return this.pages.send(reply, 403, 'client-status', { status, clientName: client.name, ...STATUS_PAGES[status] });
  }

  private formTargets(req: AuthorizationRequest): string[] {
    const target = formTargetOf(req.redirectUri);
    return target ? [target] : [];
  }

  private async signedInUser(request: FastifyRequest): Promise<{ session: ActiveSession; user: UserState } | null> {
    const session = await this.sessions.current(request);
    if (!session) return null;
    const user = await this.state.user(session.userId);
    if (!user || user.disabled || session.authTime.getTime() <= user.tokensNotBefore) return null;
    return { session, user };
  }

  /**
   * @fastify/csrf-protection's check of the form's token against the secret
   * cookie. It answers a failure by sending the error itself; handed a reply
   * whose send rejects instead, the failure becomes our own page.
   */
  private checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return new Promise((resolve, reject) => {
      const failing = { send: () => reject(new CsrfError()), unsignCookie: (value: string) => reply.unsignCookie(value) } as unknown as FastifyReply;
      request.server.csrfProtection(request, failing, () => resolve());
    });
  }
}

class CsrfError extends Error {}
