import { OAuthError } from '../../common/http/http-errors.js';
import { isPermission } from '../../common/permissions.js';

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const tokens = raw.split(' ').filter(Boolean);
  if (tokens.some((token) => !SCOPE_TOKEN.test(token))) throw new OAuthError('invalid_scope', 'The scope is malformed');
  return [...new Set(tokens)];
}

/**
 * Granted scope = the requested scope (or, when omitted, everything allowed)
 * ∩ each of the `allowed` sets (the client's scopes, the user's permissions,
 * the refresh family's original scope…). Asking for anything outside is
 * invalid_scope, naming what was refused.
 */
export function grantScope(requested: readonly string[] | undefined, ...allowed: ReadonlySet<string>[]): string[] {
  const permitted = (scope: string) => isPermission(scope) && allowed.every((set) => set.has(scope));
  if (requested === undefined) return [...(allowed[0] ?? [])].filter(permitted).sort();
  const refused = requested.filter((scope) => !permitted(scope));
  if (refused.length) throw new OAuthError('invalid_scope', `Scope not allowed: ${refused.join(' ')}`);
  return [...requested].sort();
}
