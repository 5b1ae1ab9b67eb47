import { ApiProperty } from '@nestjs/swagger';
import type { AuditEvent } from '../audit-event.entity.js';

export class AuditEventDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'client.approved' }) type!: string;
  @ApiProperty({ nullable: true, description: 'Who did it: a user id, a client_id, or null for the system' }) actor_id!: string | null;
  @ApiProperty({ nullable: true }) client_id!: string | null;
  @ApiProperty({ nullable: true }) user_id!: string | null;
  @ApiProperty({ nullable: true }) ip!: string | null;
  @ApiProperty({ nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() created_at!: string;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      type: event.type,
      actor_id: event.actorId,
      client_id: event.clientId,
      user_id: event.userId,
      ip: event.ip,
      reason: event.reason,
      details: event.details,
      created_at: event.createdAt.toISOString(),
    };
  }
}
