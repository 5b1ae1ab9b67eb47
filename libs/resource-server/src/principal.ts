/** Who is calling a guarded route: the token's claims plus the permissions Gatehouse says it holds. */
export interface GatehousePrincipal {
  /** A user acting through a client, or a client acting for itself (client_credentials: `sub` is the client_id). */
  kind: 'user' | 'client';
  /** The token's `sub`: a user id, or the client's client_id. */
  subject: string;
  /** The client the token was issued to. */
  clientId: string;
  /** The user's name when Gatehouse's introspection gives it. */
  username: string | null;
  /** The token's scope. */
  scope: readonly string[];
  /** What this request may do: the permissions held now, within the scope. */
  permissions: readonly string[];
  token: { jti: string; iat: number; exp: number; sid: string | null };
}

/**
 * Kept beside the request rather than on it, so the library adds no property to the adapter's
 * request type (Fastify or Express) and cannot collide with one the service sets itself.
 */
const principals = new WeakMap<object, GatehousePrincipal>();

export function attachPrincipal(request: object, principal: GatehousePrincipal): void {
  principals.set(request, principal);
}

/** The principal the guard loaded for this request (Fastify or Express request object), if any. */
export function principalOf(request: object): GatehousePrincipal | undefined {
  return principals.get(request);
}
