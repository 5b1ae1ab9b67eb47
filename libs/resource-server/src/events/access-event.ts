/**
 * The access-change events Gatehouse streams (its `/events`): every change that ends or narrows
 * access is one event. `id` is opaque and increasing per stream, `at` is epoch seconds.
 */
export type AccessEvent =
  | { type: 'access_token.revoked'; jti: string; exp: number }
  | { type: 'family.revoked'; sid: string; sub?: string; client_id?: string }
  | { type: 'user.disabled'; sub: string; not_before: number }
  | { type: 'user.deleted'; sub: string }
  | { type: 'user.roles_changed'; sub: string }
  | { type: 'role.changed'; role: string }
  | { type: 'client.suspended'; client_id: string; not_before: number }
  | { type: 'client.changed'; client_id: string }
  | { type: 'key.retired'; kid: string }
  /** A type this library does not know, or a known one whose subject is unreadable: drop every cached decision. */
  | { type: 'unknown'; received: string };

const text = (value: unknown): value is string => typeof value === 'string' && value !== '';
const seconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Reads one SSE message (`event:` and `data:`). Anything it cannot read in full becomes `unknown`,
 * which evicts everything: a consumer that misunderstands an event must fail safe.
 */
export function parseAccessEvent(type: string | undefined, data: string): AccessEvent {
  const received = type ?? 'message';
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return { type: 'unknown', received };
    body = parsed as Record<string, unknown>;
  } catch {
    return { type: 'unknown', received };
  }
  // The data repeats the type; an event whose two disagree is not understood.
  if (body.type !== undefined && body.type !== received) return { type: 'unknown', received };
  const { jti, exp, sid, sub, client_id, not_before, role, kid } = body;
  switch (received) {
    case 'access_token.revoked':
      if (text(jti) && seconds(exp)) return { type: received, jti, exp };
      break;
    case 'family.revoked':
      if (text(sid)) return { type: received, sid, ...(text(sub) ? { sub } : {}), ...(text(client_id) ? { client_id } : {}) };
      break;
    case 'user.disabled':
      if (text(sub) && seconds(not_before)) return { type: received, sub, not_before };
      break;
    case 'user.deleted':
    case 'user.roles_changed':
      if (text(sub)) return { type: received, sub };
      break;
    case 'role.changed':
      if (text(role)) return { type: received, role };
      break;
    case 'client.suspended':
      if (text(client_id) && seconds(not_before)) return { type: received, client_id, not_before };
      break;
    case 'client.changed':
      if (text(client_id)) return { type: received, client_id };
      break;
    case 'key.retired':
      if (text(kid)) return { type: received, kid };
      break;
  }
  return { type: 'unknown', received };
}
