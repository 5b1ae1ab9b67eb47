import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermissions } from '../../auth/guard/require-permissions.decorator.js';
import { Page, PageOf, PaginationQueryDto } from '../../common/dto/pagination.dto.js';
import { CurrentUser, type CurrentUserRef } from '../../auth/guard/current-user.decorator.js';
import { CreateNoteDto } from './dto/create-note.dto.js';
import { NoteDto } from './dto/note.dto.js';
import { NotesService } from './notes.service.js';

/** Reading needs notes:read (the controller's declaration); writing declares notes:write, which replaces it. */
@ApiTags('notes')
@Controller('notes')
@RequirePermissions('notes:read')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @ApiOperation({ summary: 'Your notes, newest first' })
  @ApiOkResponse({ description: 'Your notes, newest first', type: PageOf(NoteDto) })
  @ApiBadRequestResponse({ description: 'A malformed page' })
  list(@CurrentUser() user: CurrentUserRef, @Query() query: PaginationQueryDto): Promise<Page<NoteDto>> {
    return this.notes.list(user.id, query);
  }

  @Post()
  @RequirePermissions('notes:write')
  @ApiOperation({ summary: 'Write a note' })
  @ApiCreatedResponse({ type: NoteDto })
  @ApiBadRequestResponse({ description: 'Title or body missing, blank or too long' })
  create(@CurrentUser() user: CurrentUserRef, @Body() dto: CreateNoteDto): Promise<NoteDto> {
    return this.notes.create(user.id, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your notes' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: NoteDto })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such note of yours' })
  get(@CurrentUser() user: CurrentUserRef, @Param('id', new ParseUUIDPipe()) id: string): Promise<NoteDto> {
    return this.notes.get(user.id, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('notes:write')
  @ApiOperation({ summary: 'Delete one of your notes' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such note of yours' })
  delete(@CurrentUser() user: CurrentUserRef, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.notes.delete(user.id, id);
  }
}
