import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Page, type PaginationQueryDto } from '../common/dto/pagination.dto.js';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { ALL_PERMISSIONS } from '../common/permissions.js';
import { TransactionService } from '../database/transaction.service.js';
import { GrantPolicy, type Grantor } from '../authorization/grant-policy.js';
import { Client, FIRST_PARTY_GRANT_TYPES } from './client.entity.js';
import { digestSecret, generateClientId, generateClientSecret } from './client-secret.js';
import { grantTypesProblem, publicClientProblem } from './dto/client-fields.js';
import { ClientDto } from './dto/client.dto.js';
import type { ClientSecretDto } from './dto/client-secret.dto.js';
import type { RegisterClientDto } from './dto/register-client.dto.js';

/** A client that needs no review: made by the server itself or by an operator with database access. */
interface ApprovedClient {
  clientId: string;
  secret: string;
  name: string;
  description: string;
  grantTypes: string[];
  scopes: string[];
  trusted: boolean;
  firstParty: boolean;
  reviewNote: string;
}

/** Who is acting: for the audit trail, and what it may hand out (GrantPolicy). */
export interface Actor extends Grantor {
  /** A user id (or, for a client acting for itself, its client_id). */
  id: string;
  ip: string | null;
}

/** Registrations as their owners see them: register, read their own, take a secret. */
@Injectable()
export class ClientsService {
  constructor(
    @InjectRepository(Client) private readonly clients: Repository<Client>,
    private readonly audit: AuditService,
    private readonly transactions: TransactionService,
    private readonly invalidation: InvalidationBus,
  ) {}

  count(manager?: EntityManager): Promise<number> {
    return (manager ?? this.clients.manager).count(Client);
  }

  /**
   * Keeps first-party clients holding the user sign-in grants and the whole
   * permission catalogue, so a permission added by a new module can be
   * requested at once. The scopes bound what users' tokens may carry; the
   * client holds none of them itself (no client_credentials).
   */
  async syncFirstParty(m: EntityManager): Promise<void> {
    const grantTypes = [...FIRST_PARTY_GRANT_TYPES];
    await m.update(Client, { firstParty: true }, { requestedGrantTypes: grantTypes, grantTypes, scopes: [...ALL_PERMISSIONS] });
  }

  /** The bootstrap client: approved, trusted, first-party, the user sign-in grants and every scope. */
  async createFirstParty(m: EntityManager, clientId: string, secret: string, name: string): Promise<Client> {
    const client = await this.insertApproved(m, {
      clientId,
      secret,
      name,
      description: 'First-party client created at bootstrap',
      grantTypes: [...FIRST_PARTY_GRANT_TYPES],
      scopes: [...ALL_PERMISSIONS],
      trusted: true,
      firstParty: true,
      reviewNote: 'bootstrap',
    });
    await this.audit.record({ type: 'client.bootstrapped', clientId: client.id, details: { clientId } }, m);
    return client;
  }

  /**
   * A machine client made by an operator (the admin CLI): approved at once for
   * client_credentials with these scopes, not trusted, owned by nobody. Its
   * secret is returned here, once. No GrantPolicy check: the operator is the
   * LOCAL_OPERATOR, who holds the database and its secrets already.
   */
  async createMachineClient(name: string, scopes: string[]): Promise<ClientSecretDto> {
    const clientId = generateClientId();
    const secret = generateClientSecret();
    const grantTypes = ['client_credentials'];
    const client = await this.transactions.run(async (m) => {
      const created = await this.insertApproved(m, {
        clientId,
        secret,
        name,
        description: 'Machine client created with the admin CLI',
        grantTypes,
        scopes,
        trusted: false,
        firstParty: false,
        reviewNote: 'created with the admin CLI',
      });
      await this.audit.record({ type: 'client.created', clientId: created.id, details: { clientId, grant_types: grantTypes, scopes } }, m);
      return created;
    });
    this.invalidation.publish({ kind: 'client', id: client.id });
    return { client_id: clientId, client_secret: secret };
  }

  private async insertApproved(m: EntityManager, approved: ApprovedClient): Promise<Client> {
    const now = new Date();
    const client = m.create(Client, {
      id: randomUUID(),
      clientId: approved.clientId,
      ownerId: null,
      name: approved.name,
      description: approved.description,
      contactEmail: null,
      redirectUris: [],
      requestedGrantTypes: approved.grantTypes,
      requestedScopes: approved.scopes,
      grantTypes: approved.grantTypes,
      scopes: approved.scopes,
      trusted: approved.trusted,
      tokenEndpointAuthMethod: 'client_secret_basic',
      firstParty: approved.firstParty,
      status: 'approved',
      reviewNote: approved.reviewNote,
      secretDigest: digestSecret(approved.secret),
      secretCreatedAt: now,
      tokensNotBefore: null,
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(Client, client);
    return client;
  }

  /**
   * A new registration, pending review; nothing is granted until a reviewer
   * approves it. Only scopes the registrant holds may be asked for, so a
   * careless approval cannot hand the registrant a power it never had.
   */
  async register(dto: RegisterClientDto, owner: Actor): Promise<ClientDto> {
    const authMethod = dto.token_endpoint_auth_method ?? 'client_secret_basic';
    const problem = grantTypesProblem(dto.grant_types) ?? publicClientProblem(authMethod === 'none', dto.grant_types, dto.redirect_uris ?? []);
    if (problem) throw new BadRequestException(problem);
    GrantPolicy.assertCanRequest(owner, dto.scopes);
    const client = await this.transactions.run(async (m) => {
      const now = new Date();
      const created = m.create(Client, {
        id: randomUUID(),
        clientId: null,
        ownerId: owner.id,
        name: dto.name,
        description: dto.description,
        contactEmail: dto.contact_email ?? null,
        redirectUris: dto.redirect_uris ?? [],
        requestedGrantTypes: dto.grant_types,
        requestedScopes: dto.scopes,
        grantTypes: [],
        scopes: [],
        trusted: false,
        tokenEndpointAuthMethod: authMethod,
        status: 'pending',
        reviewNote: null,
        secretDigest: null,
        secretCreatedAt: null,
        tokensNotBefore: null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Client, created);
      await this.audit.record(
        {
          type: 'client.registered',
          actorId: owner.id,
          clientId: created.id,
          userId: owner.id,
          ip: owner.ip,
          details: { name: dto.name, grant_types: dto.grant_types, scopes: dto.scopes },
        },
        m,
      );
      return created;
    });
    return ClientDto.from(client);
  }

  /** The owner's registrations, newest first. */
  async listOwn(ownerId: string, query: PaginationQueryDto): Promise<Page<ClientDto>> {
    const [rows, total] = await this.clients.findAndCount({
      where: { ownerId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return Page.of(rows.map(ClientDto.from), total, query);
  }

  /** One of the owner's registrations; someone else's is as unknown as a missing one. */
  async findOwn(id: string, ownerId: string): Promise<ClientDto> {
    const client = await this.clients.findOne({ where: { id, ownerId } });
    if (!client) throw notFound(id);
    return ClientDto.from(client);
  }

  /**
   * Makes a new secret for an approved client and returns it, once. The
   * digest is replaced by one conditional update, so a client suspended a
   * moment ago never gets a secret, and the old secret dies with the commit.
   */
  async rotateSecret(id: string, owner: Actor): Promise<ClientSecretDto> {
    const secret = generateClientSecret();
    const clientId = await this.transactions.run(async (m) => {
      const now = new Date();
      const updated = await m
        .createQueryBuilder()
        .update(Client)
        .set({ secretDigest: digestSecret(secret), secretCreatedAt: now, updatedAt: now })
        .where("id = :id AND owner_id = :owner AND status = 'approved' AND token_endpoint_auth_method <> 'none'", { id, owner: owner.id })
        .execute();
      const client = await m.findOne(Client, { where: { id, ownerId: owner.id } });
      if (!client) throw notFound(id);
      if (client.tokenEndpointAuthMethod === 'none') throw new ConflictException('A public client (token_endpoint_auth_method none) has no secret');
      if (updated.affected !== 1 || !client.clientId) {
        throw new ConflictException(`The client is ${client.status}; a secret is issued only while it is approved`);
      }
      await this.audit.record(
        { type: 'client.secret_rotated', actorId: owner.id, clientId: id, userId: owner.id, ip: owner.ip, details: { secret_created_at: now.toISOString() } },
        m,
      );
      return client.clientId;
    });
    this.invalidation.publish({ kind: 'client', id });
    return { client_id: clientId, client_secret: secret };
  }
}

export const notFound = (id: string) => new NotFoundException(`Client ${id} not found`);
