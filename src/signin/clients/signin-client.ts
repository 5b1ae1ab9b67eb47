import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Client, type ClientStatus } from '../../clients/client.entity.js';

/** What the authorization endpoint and its pages need to know about a client. */
export interface SignInClient {
  /** The clients table id. */
  id: string;
  clientId: string;
  name: string;
  description: string;
  status: ClientStatus;
  trusted: boolean;
  firstParty: boolean;
  grantTypes: ReadonlySet<string>;
  scopes: ReadonlySet<string>;
  redirectUris: readonly string[];
  /** Who registered it (their username); null for a client made by the operator. */
  registeredBy: string | null;
  /** Whether a reviewer approved it (rather than the operator creating it). */
  reviewed: boolean;
}

/**
 * Reads clients for the browser flow, by public client_id. Read straight from
 * the clients table (with the registrant's name) because the pages show more
 * than the token endpoint's cached client state holds; not a hot path.
 */
@Injectable()
export class SignInClients {
  constructor(@InjectRepository(Client) private readonly clients: Repository<Client>) {}

  async find(clientId: string): Promise<SignInClient | null> {
    if (clientId.length > 64) return null;
    const row = await this.clients.findOne({ where: { clientId }, relations: { owner: true } });
    if (!row?.clientId) return null;
    return {
      id: row.id,
      clientId: row.clientId,
      name: row.name,
      description: row.description,
      status: row.status,
      trusted: row.trusted,
      firstParty: row.firstParty,
      grantTypes: new Set(row.grantTypes),
      scopes: new Set(row.scopes),
      redirectUris: row.redirectUris,
      registeredBy: row.owner?.username ?? null,
      reviewed: row.ownerId !== null,
    };
  }
}
