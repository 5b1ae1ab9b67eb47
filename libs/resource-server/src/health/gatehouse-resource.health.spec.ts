import { describe, expect, it } from 'vitest';
import { type GatehouseEventsOptions, resolveOptions } from '../options.js';
import { GatehouseResourceHealth } from './gatehouse-resource.health.js';

const health = (events: GatehouseEventsOptions = {}) =>
  new GatehouseResourceHealth(
    resolveOptions({ issuer: 'https://auth.example', clientId: 'rs', clientSecret: 's', events: { maxOutageSeconds: 10, ...events } }),
  );

describe('GatehouseResourceHealth: the decision mode follows the stream and the outage bound', () => {
  it('starts down (never connected): grace within the bound, then closed and unhealthy', () => {
    const h = health();
    const started = Date.now();
    expect(h.mode(started + 9_000)).toBe('grace');
    expect(h.mode(started + 10_001)).toBe('closed');
    expect(h.status()).toMatchObject({ healthy: true, mode: 'grace', connected: false, lastEventId: null });
  });

  it('connected: stream mode, healthy, whatever the time', () => {
    const h = health();
    h.markConnected();
    expect(h.mode(Date.now() + 3_600_000)).toBe('stream');
    expect(h.status()).toMatchObject({ healthy: true, mode: 'stream', connected: true, downSince: null, lastError: null });
  });

  it('down since the moment given (a silent stream: its last byte), and the first failure of an outage counts', () => {
    const h = health();
    h.markConnected();
    const lastByte = Date.now() - 11_000;
    h.markDown('no data or heartbeat for 15 s', lastByte);
    h.markDown('connection refused');
    expect(h.mode()).toBe('closed');
    expect(h.isHealthy()).toBe(false);
    expect(h.status()).toMatchObject({ healthy: false, mode: 'closed', downSince: new Date(lastByte).toISOString(), lastError: 'connection refused' });
  });

  it("with onOutage 'introspect' the service stays healthy past the bound and says it introspects", () => {
    const h = health({ onOutage: 'introspect' });
    h.markConnected();
    h.markDown('the stream ended', Date.now() - 60_000);
    expect(h.status()).toMatchObject({ healthy: true, mode: 'introspect', connected: false });
  });

  it('remembers the last event id for Last-Event-ID, ignoring events without one', () => {
    const h = health();
    h.markEvent('41');
    h.markEvent(undefined);
    h.markEvent('');
    expect(h.lastSeenEventId).toBe('41');
  });
});
