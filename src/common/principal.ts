import type { Permission } from './permissions.js';

/** Who is calling a guarded route, as loaded afresh (or from a short cache) for this request. */
export interface Principal {
  /** A user acting through a client, or a client acting for itself (client_credentials). */
  kind: 'user' | 'client';
  /** The token's `sub`: a user id or the client's client_id. */
  subject: string;
  userId: string | null;
  username: string | null;
  roles: readonly string[];
  /** The client the token was issued to. */
  client: { id: string; clientId: string };
  /** The token's scope. */
  scope: readonly string[];
  /** Held by the principal right now (from roles, or the client's granted scopes). */
  held: ReadonlySet<string>;
  /** held ∩ scope: what this request may do. */
  permissions: readonly Permission[];
  token: { jti: string; iat: number; exp: number };
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
