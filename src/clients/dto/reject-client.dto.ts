import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { NOTE_MAX_LENGTH } from './approve-client.dto.js';

/** A decision that must say why: the reason is shown to the registrant and kept in the audit trail. */
export class RejectClientDto {
  @ApiProperty({ example: 'The description does not say what the application does', maxLength: NOTE_MAX_LENGTH })
  @IsString({ message: 'reason must be a string' })
  @MaxLength(NOTE_MAX_LENGTH, { message: `reason must be at most ${NOTE_MAX_LENGTH} characters` })
  @Matches(/\S/, { message: 'reason must not be empty' })
  reason!: string;
}
