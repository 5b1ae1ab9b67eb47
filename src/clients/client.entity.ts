import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';
import { User } from '../users/user.entity.js';

export const CLIENT_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** How a client authenticates at the token endpoint (RFC 7591 §2); `none` is a public client (an SPA, a mobile app). */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** What a public client may use: it holds no secret, so only the browser flow and its refresh tokens. */
export const PUBLIC_CLIENT_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'];

export const GRANT_TYPES = ['authorization_code', 'password', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * The bootstrap first-party client signs users in, and nothing else. It has no
 * client_credentials: its secret sits in a login front end, so it must not be
 * a powerful principal of its own; machine clients are registered and approved
 * like any other. `authorization_code` is the browser sign-in it will serve.
 */
export const FIRST_PARTY_GRANT_TYPES = ['password', 'refresh_token', 'authorization_code'] as const;

@Entity('clients')
export class Client {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Public identifier used at the token endpoint; assigned when the client is approved. */
  @Index('uq_clients_client_id', { unique: true })
  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  /** The registering user; null for the bootstrap client, which nobody registered. */
  @Index('ix_clients_owner')
  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail!: string | null;

  @JsonColumn({ name: 'redirect_uris' })
  redirectUris!: string[];

  @JsonColumn({ name: 'requested_grant_types' })
  requestedGrantTypes!: string[];

  @JsonColumn({ name: 'requested_scopes' })
  requestedScopes!: string[];

  /** What the reviewer granted; empty until approval. */
  @JsonColumn({ name: 'grant_types' })
  grantTypes!: string[];

  @JsonColumn()
  scopes!: string[];

  @Column({ type: 'boolean', default: false })
  trusted!: boolean;

  /** `none`: a public client, which has no secret and proves itself with PKCE alone. */
  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32, default: 'client_secret_basic' })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  /** Made at bootstrap by the operator, not registered: it keeps every grant and scope as the catalogue grows. */
  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty!: boolean;

  @Index('ix_clients_status')
  @Column({ type: 'varchar', length: 16 })
  status!: ClientStatus;

  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote!: string | null;

  /** SHA-256 of the secret (hex); the secret itself is never stored. */
  @Column({ name: 'secret_digest', type: 'varchar', length: 64, nullable: true })
  secretDigest!: string | null;

  @TimestampColumn({ name: 'secret_created_at', nullable: true })
  secretCreatedAt!: Date | null;

  /** Access tokens issued at or before this instant stay dead, even after a reinstatement. */
  @TimestampColumn({ name: 'tokens_not_before', nullable: true })
  tokensNotBefore!: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
