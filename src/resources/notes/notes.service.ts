import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Page, type PaginationQueryDto } from '../../common/dto/pagination.dto.js';
import { TransactionService } from '../../database/transaction.service.js';
import type { CreateNoteDto } from './dto/create-note.dto.js';
import { NoteDto } from './dto/note.dto.js';
import { Note } from './note.entity.js';

/**
 * Every query is scoped by owner: another user's note is indistinguishable
 * from one that does not exist (404), so ids reveal nothing.
 */
@Injectable()
export class NotesService {
  constructor(
    @InjectRepository(Note) private readonly notes: Repository<Note>,
    private readonly transactions: TransactionService,
  ) {}

  /** Newest first; the id breaks ties so pages neither repeat nor skip a note. */
  async list(ownerId: string, query: PaginationQueryDto): Promise<Page<NoteDto>> {
    const [rows, total] = await this.notes.findAndCount({
      where: { ownerId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return Page.of(rows.map(NoteDto.from), total, query);
  }

  async get(ownerId: string, id: string): Promise<NoteDto> {
    const note = await this.notes.findOne({ where: { id, ownerId } });
    if (!note) throw notFound(id);
    return NoteDto.from(note);
  }

  async create(ownerId: string, dto: CreateNoteDto): Promise<NoteDto> {
    const now = new Date();
    const note = this.notes.create({ id: randomUUID(), ownerId, title: dto.title, body: dto.body, createdAt: now, updatedAt: now });
    await this.transactions.run((m) => m.insert(Note, note));
    return NoteDto.from(note);
  }

  async delete(ownerId: string, id: string): Promise<void> {
    const result = await this.transactions.run((m) => m.delete(Note, { id, ownerId }));
    if (!result.affected) throw notFound(id);
  }
}

const notFound = (id: string) => new NotFoundException(`Note ${id} not found`);
