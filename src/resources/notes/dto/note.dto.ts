import { ApiProperty } from '@nestjs/swagger';
import type { Note } from '../note.entity.js';

export class NoteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;

  static from(note: Note): NoteDto {
    return {
      id: note.id,
      title: note.title,
      body: note.body,
      created_at: note.createdAt.toISOString(),
      updated_at: note.updatedAt.toISOString(),
    };
  }
}
