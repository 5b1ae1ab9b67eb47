import { ApiProperty } from '@nestjs/swagger';
import { IsNoteText } from './note-text.validator.js';

export const NOTE_TITLE_MAX = 200;
export const NOTE_BODY_MAX = 10_000;

export class CreateNoteDto {
  @ApiProperty({ example: 'Groceries', minLength: 1, maxLength: NOTE_TITLE_MAX, description: `1–${NOTE_TITLE_MAX} characters, not blank` })
  @IsNoteText(NOTE_TITLE_MAX)
  title!: string;

  @ApiProperty({ example: 'Milk, eggs', minLength: 1, maxLength: NOTE_BODY_MAX, description: `1–${NOTE_BODY_MAX} characters, not blank` })
  @IsNoteText(NOTE_BODY_MAX)
  body!: string;
}
