import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ALL_PERMISSIONS } from '../common/permissions.js';
import { Client, GRANT_TYPES } from './client.entity.js';
import { digestSecret } from './client-secret.js';

@Injectable()
export class ClientsService {
  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly audit: AuditService,
  ) {}

  count(manager?: EntityManager): Promise<number> {
    return (manager ?? this.clients.manager).count(Client);
  }

  /** The bootstrap client: approved, trusted, first-party, every grant and every scope. */
  async createFirstParty(m: EntityManager, clientId: string, secret: string, name: string): Promise<Client> {
    const now = new Date();
    const client = m.create(Client, {
      id: randomUUID(),
      clientId,
      ownerId: null,
      name,
      description: 'First-party client created at bootstrap',
      contactEmail: null,
      redirectUris: [],
      requestedGrantTypes: [...GRANT_TYPES],
      requestedScopes: [...ALL_PERMISSIONS],
      grantTypes: [...GRANT_TYPES],
      scopes: [...ALL_PERMISSIONS],
      trusted: true,
      status: 'approved',
      reviewNote: 'bootstrap',
      secretDigest: digestSecret(secret),
      secretCreatedAt: now,
      tokensNotBefore: null,
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(Client, client);
    await this.audit.record({ type: 'client.bootstrapped', clientId: client.id, details: { clientId } }, m);
    return client;
  }
}
