import { ApiProperty } from '@nestjs/swagger';
import type { AuditEvent } from '../audit-event.entity.js';

export class AuditEventDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'client.approved' }) type!: string;
  @ApiProperty({ nullable: true, description: 'Who did it: a user id, a client_id, or null for the system' }) actorId!: string | null;
  @ApiProperty({ nullable: true }) clientId!: string | null;
  @ApiProperty({ nullable: true }) userId!: string | null;
  @ApiProperty({ nullable: true }) ip!: string | null;
  @ApiProperty({ nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      type: event.type,
      actorId: event.actorId,
      clientId: event.clientId,
      userId: event.userId,
      ip: event.ip,
      reason: event.reason,
      details: event.details,
      createdAt: event.createdAt.toISOString(),
    };
  }
}
