import { Inject, Injectable } from '@nestjs/common';
import { postAsClient } from '../discovery/client-authentication.js';
import { IssuerMetadata } from '../discovery/issuer-metadata.js';
import { DecisionUnavailableError } from '../guard/bearer-errors.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';

export type Introspection = { active: false } | { active: true; permissions: readonly string[]; username: string | null };

/**
 * RFC 7662 as this service's client. Gatehouse answers an active access token with its effective
 * `permissions` (held now, within the scope); a Gatehouse that does not yet returns only `scope`,
 * which is then taken as the permissions (the token is still checked as active: user enabled,
 * client approved, not revoked).
 */
@Injectable()
export class IntrospectionClient {
  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly metadata: IssuerMetadata,
  ) {}

  async introspect(token: string): Promise<Introspection> {
    let answer: { status: number; body: Record<string, unknown> };
    try {
      const { introspectionEndpoint } = await this.metadata.get();
      answer = await postAsClient(this.options, introspectionEndpoint, { token, token_type_hint: 'access_token' });
    } catch (error) {
      throw new DecisionUnavailableError(`Gatehouse could not be asked (${error instanceof Error ? error.message : String(error)})`);
    }
    const { status, body } = answer;
    // 401: this service's credentials are wrong; 403: its client may not introspect. Either way not the caller's fault.
    if (status !== 200) throw new DecisionUnavailableError(`introspection answered ${status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`);
    if (body.active !== true) return { active: false };
    return { active: true, permissions: permissionsOf(body), username: typeof body.username === 'string' ? body.username : null };
  }
}

function permissionsOf(body: Record<string, unknown>): string[] {
  const { permissions, scope } = body;
  if (Array.isArray(permissions)) return permissions.filter((value): value is string => typeof value === 'string');
  if (typeof permissions === 'string') return permissions.split(' ').filter(Boolean);
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
