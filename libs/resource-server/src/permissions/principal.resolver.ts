import { Injectable } from '@nestjs/common';
import { DecisionUnavailableError, InvalidTokenError } from '../guard/bearer-errors.js';
import { GatehouseResourceHealth } from '../health/gatehouse-resource.health.js';
import type { GatehousePrincipal } from '../principal.js';
import type { VerifiedToken } from '../tokens/verified-token.js';
import { AccessState, type CachedAccess } from './access-state.js';
import { IntrospectionClient } from './introspection.client.js';

/**
 * Turns a verified token into this request's principal. What the events said is dead is refused
 * at once, without a call. Otherwise the permissions come from the cache while the event stream
 * keeps it true, and from introspection (once per token, shared by concurrent requests) when it
 * does not hold them. Introspection answers are cached only while the stream is up and nothing
 * happened during the call, so no answer can outlive an event it raced with.
 */
@Injectable()
export class PrincipalResolver {
  private readonly inFlight = new Map<string, Promise<CachedAccess>>();

  constructor(
    private readonly state: AccessState,
    private readonly health: GatehouseResourceHealth,
    private readonly introspection: IntrospectionClient,
  ) {}

  async resolve(token: VerifiedToken): Promise<GatehousePrincipal> {
    this.refuseIfDead(token);
    const mode = this.health.mode();
    if (mode === 'closed') throw new DecisionUnavailableError('the Gatehouse event stream is down');
    const cached = mode === 'introspect' ? undefined : this.state.cached(token.jti);
    const access = cached ?? (await this.introspect(token, mode === 'stream'));
    // An event may have landed while the answer was on its way.
    this.refuseIfDead(token);
    return principalOf(token, access);
  }

  private introspect(token: VerifiedToken, cacheable: boolean): Promise<CachedAccess> {
    // Only a call that may be cached is shared: in the other modes each request must ask for itself.
    const shared = cacheable ? this.inFlight.get(token.jti) : undefined;
    if (shared) return shared;
    const call = this.ask(token, cacheable);
    if (cacheable) {
      this.inFlight.set(token.jti, call);
      void call.finally(() => this.inFlight.delete(token.jti)).catch(() => undefined);
    }
    return call;
  }

  private async ask(token: VerifiedToken, cacheable: boolean): Promise<CachedAccess> {
    const generation = this.state.currentGeneration;
    const answer = await this.introspection.introspect(token.raw);
    if (!answer.active) {
      this.state.rememberInactive(token, 'The access token is no longer active');
      throw new InvalidTokenError('The access token is no longer active');
    }
    const access: CachedAccess = {
      kind: token.sub === token.clientId ? 'client' : 'user',
      sub: token.sub,
      clientId: token.clientId,
      sid: token.sid,
      kid: token.kid,
      username: answer.username,
      permissions: answer.permissions,
    };
    if (cacheable && this.health.mode() === 'stream') this.state.remember(token, access, generation);
    return access;
  }

  private refuseIfDead(token: VerifiedToken): void {
    const refusal = this.state.refusal(token);
    if (refusal) throw new InvalidTokenError(refusal);
  }
}

function principalOf(token: VerifiedToken, access: CachedAccess): GatehousePrincipal {
  const scope = new Set(token.scope);
  return {
    kind: access.kind,
    subject: token.sub,
    clientId: token.clientId,
    username: access.username,
    scope: token.scope,
    // Effective permissions are within the scope by definition; a fallback to `scope` makes them equal.
    permissions: access.permissions.filter((permission) => scope.has(permission)),
    token: { jti: token.jti, iat: token.iat, exp: token.exp, sid: token.sid },
  };
}
