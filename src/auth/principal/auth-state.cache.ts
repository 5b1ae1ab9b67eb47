import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { Client, type ClientStatus } from '../../clients/client.entity.js';
import { type InvalidationEvent, InvalidationBus } from '../../common/invalidation/invalidation.bus.js';
import { User } from '../../users/user.entity.js';

/** What the guard and client authentication need to know about a user, right now. */
export interface UserState {
  id: string;
  username: string;
  disabled: boolean;
  /** Epoch ms; tokens issued at or before it are dead (0: none). */
  tokensNotBefore: number;
  roles: readonly string[];
  held: ReadonlySet<string>;
}

export interface ClientState {
  id: string;
  clientId: string;
  name: string;
  status: ClientStatus;
  trusted: boolean;
  /** A public client (`none`) has no secret: it authenticates by client_id alone, bound by PKCE. */
  isPublic: boolean;
  grantTypes: ReadonlySet<string>;
  scopes: ReadonlySet<string>;
  secretDigest: string | null;
  tokensNotBefore: number;
}

/** A safety net only: every change that matters invalidates its entry at once. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;
/** The client registry is re-read in full this often, whatever else happens. */
const REGISTRY_RELOAD_MS = 60_000;

/** lru-cache holds no null: an unknown user is cached as `{ value: null }`. */
interface Entry<T> {
  value: T | null;
}

/**
 * What the hot paths (the guard, client authentication) know about users and
 * clients, so they rarely touch the database:
 *
 * - users: a short-lived cache, filled on demand;
 * - clients: the whole registry of issued client_ids, held in memory. Every
 *   client lookup is then answered without a query, known or unknown alike,
 *   so the time client authentication takes does not tell an attacker whether
 *   a client_id exists.
 *
 * Invalidations arrive on the InvalidationBus and act at once; a fill that
 * started before an invalidation is discarded, so a stale read can never be
 * cached over a newer change. While disabled (invalidations might be missed)
 * every read goes to the database.
 */
@Injectable()
export class AuthStateCache implements OnModuleInit, OnModuleDestroy {
  private readonly users = new LRUCache<string, Entry<UserState>>({ max: MAX_ENTRIES, ttl: TTL_MS });
  private registry = new Map<string, ClientState>();
  private registryReady = false;
  /** Clients being re-read after an invalidation; until done, unknown client_ids go to the database. */
  private reloadingClients = 0;
  private generation = 0;
  /** Bumped by client invalidations only: a registry read that overlaps one is discarded. */
  private clientGeneration = 0;
  private enabled = true;
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(User) private readonly userRepo: Repository<User>,
    @InjectRepository(Client) private readonly clientRepo: Repository<Client>,
    private readonly invalidation: InvalidationBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.invalidation.subscribe((event) => this.invalidate(event));
    if (!this.invalidation.healthy) this.setEnabled(false);
    await this.reloadRegistry();
    this.timer = setInterval(() => void this.reloadRegistry().catch(() => undefined), REGISTRY_RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** Turns caching off (and empties it) while invalidations might be missed; on again when they flow. */
  private setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.generation++;
    this.clientGeneration++;
    this.users.clear();
    if (enabled) void this.reloadRegistry().catch(() => undefined);
  }

  /** The user as cached right now: undefined when it must be loaded. */
  cachedUser(id: string): UserState | null | undefined {
    if (!this.enabled) return undefined;
    return this.users.get(id)?.value;
  }

  async user(id: string): Promise<UserState | null> {
    const cached = this.cachedUser(id);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const user = await this.userRepo.createQueryBuilder('user').leftJoinAndSelect('user.roles', 'role').where('user.id = :id', { id }).getOne();
    const value = user ? toUserState(user) : null;
    if (this.enabled && generation === this.generation) this.users.set(id, { value });
    return value;
  }

  /** The client as the registry knows it right now: undefined when the database must be asked. */
  knownClient(clientId: string): ClientState | null | undefined {
    if (!this.enabled || !this.registryReady) return undefined;
    const client = this.registry.get(clientId);
    if (client) return client;
    return this.reloadingClients === 0 ? null : undefined;
  }

  /** By public client_id (what tokens and client authentication carry). */
  async client(clientId: string): Promise<ClientState | null> {
    const known = this.knownClient(clientId);
    if (known !== undefined) return known;
    const client = await this.clientRepo.findOne({ where: { clientId } });
    return client?.clientId ? toClientState(client) : null;
  }

  /** Re-reads every issued client (at start, after bootstrap seeding, every minute, after an outage). */
  async reloadRegistry(): Promise<void> {
    const generation = this.clientGeneration;
    const rows = await this.clientRepo.createQueryBuilder('client').where('client.client_id IS NOT NULL').getMany();
    if (generation !== this.clientGeneration) return; // a client changed meanwhile: the next reload will do
    this.registry = new Map(rows.map((row) => [row.clientId!, toClientState(row)]));
    this.registryReady = true;
  }

  private async reloadClient(id: string): Promise<void> {
    this.reloadingClients++;
    try {
      const row = await this.clientRepo.findOne({ where: { id } });
      if (row?.clientId) this.registry.set(row.clientId, toClientState(row));
    } catch {
      // Unknown client_ids go to the database until the next full reload.
      this.registryReady = false;
    } finally {
      this.reloadingClients--;
    }
  }

  private invalidate(event: InvalidationEvent): void {
    if (event.kind === 'bus') {
      this.setEnabled(event.healthy);
      return;
    }
    this.generation++;
    switch (event.kind) {
      case 'user':
        this.users.delete(event.id);
        break;
      case 'role':
        this.users.clear();
        break;
      case 'client':
        this.clientGeneration++;
        // The registry is keyed by client_id, events name the registration id.
        for (const [key, client] of this.registry) if (client.id === event.id) this.registry.delete(key);
        void this.reloadClient(event.id);
        break;
      default:
        break;
    }
  }
}

export function toUserState(user: User): UserState {
  const roles = user.roles.map((role) => role.name).sort();
  return {
    id: user.id,
    username: user.username,
    disabled: user.disabled,
    tokensNotBefore: user.tokensNotBefore?.getTime() ?? 0,
    roles,
    held: new Set(user.roles.flatMap((role) => role.permissions)),
  };
}

export function toClientState(client: Client): ClientState {
  return {
    id: client.id,
    clientId: client.clientId!,
    name: client.name,
    status: client.status,
    trusted: client.trusted,
    isPublic: client.tokenEndpointAuthMethod === 'none',
    grantTypes: new Set(client.grantTypes),
    scopes: new Set(client.scopes),
    secretDigest: client.secretDigest,
    tokensNotBefore: client.tokensNotBefore?.getTime() ?? 0,
  };
}
