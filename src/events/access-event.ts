/**
 * The access-change events of `GET /events`: every change that ends or narrows access is one
 * event, so that a resource server in another process (libs/resource-server) can drop what it
 * cached the moment it happens. The names and fields are a contract with every subscriber:
 * add a type, never change one (a subscriber treats a type it does not know as "forget
 * everything", which is safe but costly).
 */
export type AccessEvent =
  /** One access token revoked (RFC 7009), until `exp`. */
  | { type: 'access_token.revoked'; jti: string; exp: number }
  /** A refresh-token family ended: every access token carrying `sid` is dead. */
  | { type: 'family.revoked'; sid: string; sub?: string; client_id?: string }
  /** Tokens of this user issued at or before `not_before` (epoch seconds) are dead. */
  | { type: 'user.disabled'; sub: string; not_before: number }
  | { type: 'user.deleted'; sub: string }
  /** The user's effective permissions may have narrowed: reload them. */
  | { type: 'user.roles_changed'; sub: string }
  /** A role's permissions changed: reload every user holding it. */
  | { type: 'role.changed'; role: string }
  /** Tokens of this client issued at or before `not_before` are dead. */
  | { type: 'client.suspended'; client_id: string; not_before: number }
  /** The client's grants or status changed: reload what was cached for it. */
  | { type: 'client.changed'; client_id: string }
  /** Tokens signed with `kid` are no longer accepted. */
  | { type: 'key.retired'; kid: string };

export type AccessEventType = AccessEvent['type'];

/** An event as stored and streamed: its id orders the stream and resumes it (`Last-Event-ID`). */
export interface RecordedAccessEvent {
  id: number;
  event: AccessEvent;
  /** Epoch milliseconds of the commit that recorded it. */
  at: number;
}
