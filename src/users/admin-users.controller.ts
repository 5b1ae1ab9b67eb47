import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import { Page, PageOf, PaginationQueryDto } from '../common/dto/pagination.dto.js';
import type { Principal } from '../common/principal.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('admin: users')
@Controller('admin/users')
@RequirePermissions('users:manage')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user with roles' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'Malformed username, unacceptable password, unknown role' })
  @ApiConflictResponse({ description: 'Username taken' })
  create(@Body() dto: CreateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.create(dto, principal.subject, principal);
  }

  @Get()
  @ApiOperation({ summary: 'List users, oldest first' })
  @ApiOkResponse({ type: PageOf(UserDto) })
  @ApiBadRequestResponse({ description: 'A malformed page' })
  list(@Query() query: PaginationQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's roles, or disable or enable it; enforced on the next request" })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'Malformed id or body, unknown role' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'You cannot disable yourself' })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.update(id, dto, principal.subject, principal);
  }
}
