import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { AuditService } from '../../audit/audit.service.js';
import { secretMatches } from '../../clients/client-secret.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { LoginThrottle } from '../../throttling/login-throttle.service.js';
import { AuthStateCache, type ClientState } from '../principal/auth-state.cache.js';
import { BASIC_CHALLENGE, presentedClientCredentials, type PresentedClientCredentials } from './client-credentials.js';

type Verify = (request: FastifyRequest, credentials: PresentedClientCredentials, done: (error: unknown, client?: unknown) => void) => void;

/** A passport strategy reading client_secret_basic or client_secret_post. */
class ClientCredentialsStrategy extends passport.Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  // passport's typings assume Express; on Fastify the request is Fastify's.
  override authenticate(req: Parameters<InstanceType<typeof passport.Strategy>['authenticate']>[0]): void {
    const request = req as unknown as FastifyRequest;
    let credentials: PresentedClientCredentials | null;
    try {
      credentials = presentedClientCredentials(request.headers.authorization, request.body);
    } catch (error) {
      this.error(error);
      return;
    }
    if (!credentials) {
      this.error(new OAuthError('invalid_client', 'Client authentication is required', 401, BASIC_CHALLENGE));
      return;
    }
    this.verify(request, credentials, (error, client) => (error ? this.error(error) : this.success(client as object)));
  }
}

/** The authenticated client of an OAuth request, with the method it used. */
export interface AuthenticatedClient extends ClientState {
  method: PresentedClientCredentials['method'];
}

/**
 * Authenticates the client at the token, revocation and introspection
 * endpoints. Unknown client, wrong secret and a client that is not approved
 * all answer the same 401 invalid_client; the secret is compared in constant
 * time against its digest, and an unknown client costs the same comparison.
 */
@Injectable()
export class ClientStrategy extends PassportStrategy(ClientCredentialsStrategy, 'client') {
  constructor(
    private readonly state: AuthStateCache,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {
    super();
  }

  async validate(request: FastifyRequest, credentials: PresentedClientCredentials): Promise<AuthenticatedClient> {
    const clientId = credentials.clientId.slice(0, 128);
    await this.throttle.assertClientAllowed(clientId, request.ip);
    const client = await this.state.client(credentials.clientId);
    // A public client proves nothing here (PKCE binds its code); a confidential one must bring its secret.
    // The digest is compared even for an unknown client, so the time taken does not tell whether it exists.
    const secretMatched = credentials.method !== 'none' && secretMatches(credentials.clientSecret, client?.secretDigest ?? null);
    const matches = credentials.method === 'none' ? client?.isPublic === true : secretMatched && client?.isPublic === false;
    if (!client || !matches || client.status !== 'approved') {
      const lock = await this.throttle.recordClientFailure(clientId, request.ip);
      if (lock) {
        await this.audit.record({
          type: 'client.locked_out',
          actorId: null,
          clientId: client?.id ?? null,
          ip: request.ip,
          details: { client_id: clientId, until: new Date(lock.until).toISOString() },
        });
      }
      const headers = credentials.method === 'client_secret_basic' ? BASIC_CHALLENGE : {};
      throw new OAuthError('invalid_client', 'Client authentication failed', 401, headers);
    }
    return { ...client, method: credentials.method };
  }
}
