import { ApiProperty } from '@nestjs/swagger';
import { ALL_PERMISSIONS, isAdministrative } from '../../common/permissions.js';
import { CLIENT_STATUSES, type Client, type ClientStatus, GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../client.entity.js';

/**
 * A client registration as the API shows it, to its owner and to reviewers
 * alike. There is no field a secret or its digest could leak through; only
 * whether one exists and when it was made.
 */
export class ClientDto {
  @ApiProperty({ format: 'uuid', description: 'The registration id (not the public client_id)' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: String, nullable: true }) contact_email!: string | null;
  @ApiProperty({ type: [String] }) redirect_uris!: string[];
  @ApiProperty({ enum: GRANT_TYPES, isArray: true }) requested_grant_types!: string[];
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true }) requested_scopes!: string[];
  @ApiProperty({
    enum: ALL_PERMISSIONS,
    isArray: true,
    description: 'The requested scopes the permission catalogue marks administrative: power over Gatehouse itself, for a reviewer to weigh',
  })
  administrative_scopes!: string[];
  @ApiProperty({ enum: GRANT_TYPES, isArray: true, description: 'Granted at approval; empty before' }) grant_types!: string[];
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true, description: 'Granted at approval; empty before' }) scopes!: string[];
  @ApiProperty({ description: 'Set by a reviewer; only a trusted client may use the password grant' }) trusted!: boolean;
  @ApiProperty({ enum: CLIENT_STATUSES }) status!: ClientStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Assigned at approval' }) client_id!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The latest reviewer's note or reason" }) review_note!: string | null;
  @ApiProperty({ enum: TOKEN_ENDPOINT_AUTH_METHODS, description: 'none: a public client, which never has a secret' })
  token_endpoint_auth_method!: TokenEndpointAuthMethod;
  @ApiProperty({ description: 'Whether a secret has been issued' }) has_secret!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) secret_created_at!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The registering user; null for the bootstrap client' }) owner_id!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;

  static from(client: Client): ClientDto {
    return {
      id: client.id,
      name: client.name,
      description: client.description,
      contact_email: client.contactEmail,
      redirect_uris: [...client.redirectUris],
      requested_grant_types: [...client.requestedGrantTypes],
      requested_scopes: [...client.requestedScopes],
      administrative_scopes: client.requestedScopes.filter(isAdministrative),
      grant_types: [...client.grantTypes],
      scopes: [...client.scopes],
      trusted: client.trusted,
      status: client.status,
      client_id: client.clientId,
      review_note: client.reviewNote,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      has_secret: client.secretDigest !== null,
      secret_created_at: client.secretCreatedAt?.toISOString() ?? null,
      owner_id: client.ownerId,
      created_at: client.createdAt.toISOString(),
      updated_at: client.updatedAt.toISOString(),
    };
  }
}
