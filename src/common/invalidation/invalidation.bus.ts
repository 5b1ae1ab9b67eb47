import { Injectable } from '@nestjs/common';

/** Something that changes who may do what; every cache of auth state listens for these. */
export type InvalidationEvent =
  | { kind: 'user'; id: string }
  | { kind: 'role'; name: string }
  | { kind: 'client'; id: string }
  | { kind: 'access-token-revoked'; jti: string; exp: number }
  | { kind: 'keys' }
  /**
   * The bus's own health, delivered to every listener when it changes: while
   * unhealthy, changes made elsewhere may be missed, so no cache may be trusted.
   */
  | { kind: 'bus'; healthy: boolean };

export type InvalidationListener = (event: InvalidationEvent) => void;

/**
 * Delivers invalidations to every listener in this process at once. With
 * REDIS_URL the scale-out transport also relays them to the other instances
 * (see RedisInvalidationRelay); callers only ever publish here.
 */
@Injectable()
export class InvalidationBus {
  private readonly listeners = new Set<InvalidationListener>();
  private readonly relays = new Set<InvalidationListener>();
  /** In one process nothing can be missed; a transport to other instances says otherwise while it is down. */
  private isHealthy = true;

  get healthy(): boolean {
    return this.isHealthy;
  }

  /** Set by a transport (the Redis relay): whether every change made elsewhere reaches this instance now. */
  setHealthy(healthy: boolean): void {
    if (healthy === this.isHealthy) return;
    this.isHealthy = healthy;
    this.deliver({ kind: 'bus', healthy });
  }

  subscribe(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A transport that forwards locally published events elsewhere. */
  addRelay(relay: InvalidationListener): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  publish(event: InvalidationEvent): void {
    this.deliver(event);
    for (const relay of this.relays) relay(event);
  }

  /** Events arriving from another instance: delivered here, never relayed back. */
  deliver(event: InvalidationEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
