import { describe, expect, it } from 'vitest';
import { parseAccessEvent } from '../../libs/resource-server/src/events/access-event.js';
import type { AccessEvent } from './access-event.js';
import { endsOwnersAccess, formatEvent } from './event-stream.js';

/** One of each type Gatehouse streams. */
const EVERY_TYPE: AccessEvent[] = [
  { type: 'access_token.revoked', jti: 'j1', exp: 1_900_000_000 },
  { type: 'family.revoked', sid: 's1', sub: 'u1', client_id: 'c1' },
  { type: 'user.disabled', sub: 'u1', not_before: 1_800_000_000 },
  { type: 'user.deleted', sub: 'u1' },
  { type: 'user.roles_changed', sub: 'u1' },
  { type: 'role.changed', role: 'user' },
  { type: 'client.suspended', client_id: 'c1', not_before: 1_800_000_000 },
  { type: 'client.changed', client_id: 'c1' },
  { type: 'key.retired', kid: 'k1' },
];

describe('the access-event stream', () => {
  it('formats each event as id, event type and JSON data, ended by a blank line', () => {
    expect(formatEvent({ id: 7, at: 0, event: { type: 'role.changed', role: 'user' } })).toBe(
      'id: 7\nevent: role.changed\ndata: {"type":"role.changed","role":"user"}\n\n',
    );
  });

  it('speaks exactly what the resource-server library reads: every type is understood, field for field', () => {
    for (const event of EVERY_TYPE) {
      const [, data] = /\ndata: (.*)\n/.exec(formatEvent({ id: 1, at: 0, event }))!;
      expect(parseAccessEvent(event.type, data)).toEqual(event);
    }
  });

  it("knows which events end the access of the stream's own token", () => {
    const owner = { clientId: 'c1', jti: 'j1' };
    const ending = EVERY_TYPE.filter((event) => endsOwnersAccess(event, owner)).map((event) => event.type);
    expect(ending).toEqual(['access_token.revoked', 'client.suspended', 'client.changed']);
    expect(endsOwnersAccess({ type: 'client.suspended', client_id: 'other', not_before: 0 }, owner)).toBe(false);
    expect(endsOwnersAccess({ type: 'access_token.revoked', jti: 'other', exp: 0 }, owner)).toBe(false);
  });
});
