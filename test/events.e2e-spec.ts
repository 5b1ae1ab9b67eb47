import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionService } from '../src/database/transaction.service.js';
import type { AccessEvent } from '../src/events/access-event.js';
import { AccessEventLog } from '../src/events/access-event.log.js';
import { startListeningApp, type TestApp } from './support/app.js';
import { insertClient } from './support/fixtures.js';
import { type ClientCredentials, clientCredentialsToken, passwordLogin } from './support/oauth.js';
import { isStream, openSse, type SseConnection } from './support/sse.js';

type Listening = TestApp & { baseUrl: string };

/** Records events as a unit of work of the app would: committed together, or (when `fail`) not at all. */
async function append(t: TestApp, events: AccessEvent[], { fail = false } = {}): Promise<void> {
  await t.app
    .get(TransactionService)
    .run(async (m) => {
      await t.app.get(AccessEventLog).append(m, events);
      if (fail) throw new Error('rolled back on purpose');
    })
    .catch((error: unknown) => {
      if (!fail) throw error;
    });
}

async function subscribe(t: Listening, bearer: string, lastEventId?: string): Promise<SseConnection> {
  const opened = await openSse(`${t.baseUrl}/events`, { authorization: `Bearer ${bearer}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
  if (!isStream(opened)) throw new Error(`GET /events answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  return opened;
}

const revoked = (jti: string): AccessEvent => ({ type: 'access_token.revoked', jti, exp: Math.floor(Date.now() / 1000) + 600 });

describe('GET /events', () => {
  let t: Listening;
  let subscriber: ClientCredentials;
  let bearer: string;

  beforeAll(async () => {
    t = await startListeningApp();
    subscriber = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['events:subscribe', 'introspect'] });
    bearer = (await clientCredentialsToken(t, subscriber, 'events:subscribe')).access_token;
  });
  afterAll(() => t.close());

  it('refuses without a token (401) and without events:subscribe (403), in JSON', async () => {
    const anonymous = await openSse(`${t.baseUrl}/events`, {});
    expect(anonymous.status).toBe(401);
    const other = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['inventory:read'] });
    const weak = await openSse(`${t.baseUrl}/events`, { authorization: `Bearer ${(await clientCredentialsToken(t, other)).access_token}` });
    expect(weak.status).toBe(403);
    // A user who holds events:subscribe still needs it in the token's scope.
    const admin = await openSse(`${t.baseUrl}/events`, {
      authorization: `Bearer ${(await passwordLogin(t, undefined, { scope: 'notes:read' })).access_token}`,
    });
    expect(admin.status).toBe(403);
  });

  it('streams committed events in order with ids, the type as event name and the event as JSON data', async () => {
    const stream = await subscribe(t, bearer);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    await append(t, [revoked('jti-1'), { type: 'user.roles_changed', sub: 'user-1' }]);
    await append(t, [{ type: 'client.suspended', client_id: 'someone-else', not_before: 1_800_000_000 }]);
    const messages = await stream.waitFor(3);
    expect(messages.map((m) => m.event)).toEqual(['access_token.revoked', 'user.roles_changed', 'client.suspended']);
    expect(JSON.parse(messages[1].data)).toEqual({ type: 'user.roles_changed', sub: 'user-1' });
    const ids = messages.map((m) => Number(m.id));
    expect(ids[1]).toBe(ids[0] + 1);
    expect(ids[2]).toBe(ids[1] + 1);
    expect(stream.retry).toBeGreaterThan(0);
    stream.close();
  });

  it('a unit of work that rolls back streams nothing, and leaves no gap in the ids', async () => {
    const stream = await subscribe(t, bearer);
    await append(t, [revoked('before-rollback')]);
    await append(t, [revoked('rolled-back')], { fail: true });
    await append(t, [revoked('after-rollback')]);
    const messages = await stream.waitFor(2);
    expect(messages.map((m) => (JSON.parse(m.data) as { jti: string }).jti)).toEqual(['before-rollback', 'after-rollback']);
    expect(Number(messages[1].id)).toBe(Number(messages[0].id) + 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(stream.messages).toHaveLength(2);
    stream.close();
  });

  it('concurrent units of work: every event arrives once, ids consecutive and in order', async () => {
    const stream = await subscribe(t, bearer);
    await Promise.all(Array.from({ length: 30 }, (_, i) => append(t, [revoked(`concurrent-${i}`), revoked(`concurrent-${i}-b`)])));
    const messages = await stream.waitFor(60);
    const ids = messages.map((m) => Number(m.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0] + i));
    expect(new Set(messages.map((m) => m.data)).size).toBe(60);
    stream.close();
  });

  it('resumes after Last-Event-ID with what was missed, and nothing before it', async () => {
    const first = await subscribe(t, bearer);
    await append(t, [revoked('seen')]);
    const [seen] = await first.waitFor(1);
    first.close();
    await append(t, [revoked('missed-1'), revoked('missed-2')]);
    const resumed = await subscribe(t, bearer, seen.id);
    const messages = await resumed.waitFor(2);
    expect(messages.map((m) => (JSON.parse(m.data) as { jti: string }).jti)).toEqual(['missed-1', 'missed-2']);
    await append(t, [revoked('live')]);
    expect((await resumed.waitFor(3))[2].data).toContain('"live"');
    resumed.close();
  });

  it('a position it cannot continue is answered with a reset event, then the stream goes on', async () => {
    const stream = await subscribe(t, bearer, '999999999999');
    const [reset] = await stream.waitFor(1);
    expect(reset.event).toBe('reset');
    await append(t, [revoked('after-reset')]);
    expect((await stream.waitFor(2))[1].data).toContain('after-reset');
    stream.close();
  });

  it('a malformed Last-Event-ID is a 400 in JSON', async () => {
    const res = await openSse(`${t.baseUrl}/events`, { authorization: `Bearer ${bearer}`, 'last-event-id': '12abc' });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const stream = await subscribe(t, bearer);
    await stream.until('a heartbeat', () => stream.comments > 0, 8_000);
    stream.close();
  }, 15_000);

  it("ends the stream when an event ends the subscriber's own access", async () => {
    const stream = await subscribe(t, bearer);
    await append(t, [{ type: 'client.suspended', client_id: subscriber.clientId, not_before: Math.floor(Date.now() / 1000) }]);
    await stream.waitForEnd();
    expect(stream.messages.at(-1)?.event).toBe('client.suspended');
  });

  it('caps the streams one client holds open (429), without affecting other clients', async () => {
    const client = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['events:subscribe'] });
    const token = (await clientCredentialsToken(t, client, 'events:subscribe')).access_token;
    const open = await Promise.all(Array.from({ length: 16 }, () => subscribe(t, token)));
    const refused = await openSse(`${t.baseUrl}/events`, { authorization: `Bearer ${token}` });
    expect(refused).toMatchObject({ status: 429, body: { error: 'too_many_streams' } });
    const other = await subscribe(t, bearer);
    other.close();
    for (const stream of open) stream.close();
  });

  it('cuts off a subscriber that stops reading, while the others and the token endpoint carry on', async () => {
    const reader = await subscribe(t, bearer);
    // A subscriber that sends its request and never reads a byte of the answer.
    const port = Number(new URL(t.baseUrl).port);
    const stalled = connect({ port, host: '127.0.0.1' });
    stalled.pause();
    let received = 0;
    const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    stalled.on('error', () => undefined);
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${bearer}\r\nAccept: text/event-stream\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // About 16 MiB of events (of the usual size): more than the kernel's socket buffers (on loopback
    // up to 6 MiB to receive and 4 MiB to send) plus the server's allowance. The pauses let the
    // reader, which shares this process with the server, read as a subscriber on its own would.
    const batches = 120;
    const perBatch = 1_000;
    for (let batch = 0; batch < batches; batch++) {
      await append(
        t,
        Array.from({ length: perBatch }, (_, i) => revoked(randomUUID() + String(i))),
      );
      // The reader reads each batch before the next: a subscriber that keeps up is never cut off.
      await reader.waitFor((batch + 1) * perBatch, 10_000);
    }
    // Now it reads: it finds the stream cut short, not the 16 MiB.
    stalled.on('data', (chunk: Buffer) => (received += chunk.length));
    stalled.resume();
    await closed;
    expect(received).toBeLessThan(batches * perBatch * 100);
    await reader.waitFor(batches * perBatch, 30_000);
    expect(reader.ended()).toBe(false);
    const token = await clientCredentialsToken(t, subscriber, 'events:subscribe');
    expect(token.access_token).toBeTruthy();
    reader.close();
  }, 60_000);
});
