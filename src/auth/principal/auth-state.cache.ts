import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
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
  grantTypes: ReadonlySet<string>;
  scopes: ReadonlySet<string>;
  secretDigest: string | null;
  tokensNotBefore: number;
}

/** A safety net only: every change that matters invalidates its entry at once. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;

interface Entry<T> {
  value: T | null;
  expires: number;
}

/**
 * Short-lived cache of user and client auth state, so the hot paths (the
 * guard, client authentication) rarely touch the database. Invalidations
 * arrive on the InvalidationBus; a fill that started before an invalidation
 * is discarded, so a stale read can never be cached over a newer change.
 */
@Injectable()
export class AuthStateCache implements OnModuleInit, OnModuleDestroy {
  private readonly users = new Map<string, Entry<UserState>>();
  private readonly clients = new Map<string, Entry<ClientState>>();
  private generation = 0;
  /** While false (e.g. the cross-instance relay is down) every read goes to the database. */
  private enabled = true;
  private unsubscribe?: () => void;

  constructor(
    @InjectRepository(User) private readonly userRepo: Repository<User>,
    @InjectRepository(Client) private readonly clientRepo: Repository<Client>,
    private readonly invalidation: InvalidationBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.invalidation.subscribe((event) => this.invalidate(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Turns caching off (and empties it) while invalidations might be missed; on again when they flow. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.clear();
  }

  user(id: string): Promise<UserState | null> {
    return this.read(this.users, id, async () => {
      const user = await this.userRepo
        .createQueryBuilder('user')
        .leftJoinAndSelect('user.roles', 'role')
        .where('user.id = :id', { id })
        .getOne();
      return user ? toUserState(user) : null;
    });
  }

  /** By public client_id (what tokens and client authentication carry). */
  client(clientId: string): Promise<ClientState | null> {
    return this.read(this.clients, clientId, async () => {
      const client = await this.clientRepo.findOne({ where: { clientId } });
      return client?.clientId ? toClientState(client) : null;
    });
  }

  private async read<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T | null>): Promise<T | null> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && hit.expires > now && this.enabled) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (this.enabled && generation === this.generation) {
      if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
      map.set(key, { value, expires: now + TTL_MS });
    }
    return value;
  }

  private invalidate(event: InvalidationEvent): void {
    this.generation++;
    switch (event.kind) {
      case 'user':
        this.users.delete(event.id);
        break;
      case 'role':
        this.users.clear();
        break;
      case 'client':
        // Keyed by client_id, but events name the registration id: drop every match.
        for (const [key, entry] of this.clients) if (!entry.value || entry.value.id === event.id) this.clients.delete(key);
        break;
      default:
        break;
    }
  }

  private clear(): void {
    this.generation++;
    this.users.clear();
    this.clients.clear();
  }
}

export function toUserState(user: User): UserState {
  const roles = (user.roles ?? []).map((role) => role.name).sort();
  return {
    id: user.id,
    username: user.username,
    disabled: user.disabled,
    tokensNotBefore: user.tokensNotBefore?.getTime() ?? 0,
    roles,
    held: new Set((user.roles ?? []).flatMap((role) => role.permissions)),
  };
}

export function toClientState(client: Client): ClientState {
  return {
    id: client.id,
    clientId: client.clientId!,
    name: client.name,
    status: client.status,
    trusted: client.trusted,
    grantTypes: new Set(client.grantTypes),
    scopes: new Set(client.scopes),
    secretDigest: client.secretDigest,
    tokensNotBefore: client.tokensNotBefore?.getTime() ?? 0,
  };
}
