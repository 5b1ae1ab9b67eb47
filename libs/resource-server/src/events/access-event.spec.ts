import { describe, expect, it } from 'vitest';
import { parseAccessEvent } from './access-event.js';

const data = (body: Record<string, unknown>) => JSON.stringify(body);

describe('parseAccessEvent: the vocabulary of EVENTS.md, and fail-safe on anything else', () => {
  it.each([
    ['access_token.revoked', { jti: 'j1', exp: 1_700_000_900 }],
    ['family.revoked', { sid: 's1', sub: 'u1', client_id: 'c1' }],
    ['user.disabled', { sub: 'u1', not_before: 1_700_000_000 }],
    ['user.deleted', { sub: 'u1' }],
    ['user.roles_changed', { sub: 'u1' }],
    ['role.changed', { role: 'scribe' }],
    ['client.suspended', { client_id: 'c1', not_before: 1_700_000_000 }],
    ['client.changed', { client_id: 'c1' }],
    ['key.retired', { kid: 'k1' }],
  ])('reads %s with its subject', (type, subject) => {
    expect(parseAccessEvent(type, data({ id: '7', type, at: 1_700_000_000, ...subject }))).toEqual({ type, ...subject });
  });

  it('an unknown type is unknown', () => {
    expect(parseAccessEvent('session.ended', data({ type: 'session.ended', sub: 'u1' }))).toEqual({ type: 'unknown', received: 'session.ended' });
  });

  it('a message without an event name (SSE default "message") is unknown', () => {
    expect(parseAccessEvent(undefined, data({ jti: 'j1', exp: 1 })).type).toBe('unknown');
  });

  it.each([
    ['data that is not JSON', 'access_token.revoked', 'not json'],
    ['data that is JSON but not an object', 'user.deleted', '"u1"'],
    ['a known type missing its subject', 'access_token.revoked', data({ exp: 1 })],
    ['a subject of the wrong type', 'user.disabled', data({ sub: 'u1', not_before: '1700000000' })],
    ['an empty subject', 'key.retired', data({ kid: '' })],
    ['data naming another type than the event', 'user.roles_changed', data({ type: 'client.changed', sub: 'u1' })],
  ])('%s is unknown (so it evicts everything)', (_case, type, body) => {
    expect(parseAccessEvent(type, body).type).toBe('unknown');
  });

  it('keeps the optional parts of family.revoked only when present', () => {
    expect(parseAccessEvent('family.revoked', data({ sid: 's1' }))).toEqual({ type: 'family.revoked', sid: 's1' });
  });
});
