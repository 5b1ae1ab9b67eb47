import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Client } from '../../clients/client.entity.js';
import { InvalidationBus } from '../../common/invalidation/invalidation.bus.js';

/** A safety net: every client change clears the set at once. */
const TTL_MS = 30_000;

/**
 * The web origins of approved public clients (an SPA's redirect URIs), which
 * may call Gatehouse from the browser (CORS): the token endpoint to exchange
 * a code and refresh, the API with the token it got. Nothing else gets CORS,
 * and no cookie is ever sent cross-origin (credentials are not allowed).
 */
@Injectable()
export class PublicClientOrigins implements OnModuleInit, OnModuleDestroy {
  private origins: { set: ReadonlySet<string>; expires: number } | null = null;
  private unsubscribe?: () => void;

  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly invalidation: InvalidationBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.invalidation.subscribe((event) => {
      if (event.kind === 'client') this.origins = null;
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async allows(origin: string | undefined): Promise<boolean> {
    if (!origin) return false;
    return (await this.current()).has(origin);
  }

  private async current(): Promise<ReadonlySet<string>> {
    if (this.origins && this.origins.expires > Date.now()) return this.origins.set;
    const rows = await this.clients.find({ where: { status: 'approved', tokenEndpointAuthMethod: 'none' }, select: { redirectUris: true } });
    const set = new Set(rows.flatMap((row) => row.redirectUris.map(webOrigin).filter((o): o is string => o !== null)));
    this.origins = { set, expires: Date.now() + TTL_MS };
    return set;
  }
}

/** The origin of an http(s) redirect URI; a private-use scheme has none a browser would send. */
function webOrigin(uri: string): string | null {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}
