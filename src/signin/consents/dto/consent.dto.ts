import { ApiProperty } from '@nestjs/swagger';

export class ConsentDto {
  @ApiProperty({ example: 'c_3f9a…' }) client_id!: string;
  @ApiProperty({ example: 'Acme Notes' }) client_name!: string;
  @ApiProperty({ type: [String], example: ['notes:read'] }) scopes!: string[];
  @ApiProperty({ format: 'date-time' }) granted_at!: string;
}
