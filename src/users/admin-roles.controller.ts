import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import { Page, PageOf, PaginationQueryDto } from '../common/dto/pagination.dto.js';
import type { Principal } from '../common/principal.js';
import { CreateRoleDto } from './dto/create-role.dto.js';
import { RoleDto } from './dto/role.dto.js';
import { RoleNameParam } from './dto/role-name.param.js';
import { UpdateRoleDto } from './dto/update-role.dto.js';
import { RolesService } from './roles.service.js';

@ApiTags('admin: roles')
@Controller('admin/roles')
@RequirePermissions('users:manage')
export class AdminRolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @ApiOperation({ summary: 'List roles with their permissions' })
  @ApiOkResponse({ type: PageOf(RoleDto) })
  @ApiBadRequestResponse({ description: 'A malformed page' })
  list(@Query() query: PaginationQueryDto): Promise<Page<RoleDto>> {
    return this.roles.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a role' })
  @ApiCreatedResponse({ type: RoleDto })
  @ApiBadRequestResponse({ description: 'Malformed name, unknown permission' })
  @ApiConflictResponse({ description: 'Role exists' })
  create(@Body() dto: CreateRoleDto, @CurrentPrincipal() principal: Principal): Promise<RoleDto> {
    return this.roles.create(dto, principal.subject, principal);
  }

  @Patch(':name')
  @ApiOperation({ summary: "Replace a role's permissions; enforced on the next request" })
  @ApiOkResponse({ type: RoleDto })
  @ApiBadRequestResponse({ description: 'Malformed name, unknown permission' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The admin role cannot be changed' })
  update(@Param() { name }: RoleNameParam, @Body() dto: UpdateRoleDto, @CurrentPrincipal() principal: Principal): Promise<RoleDto> {
    return this.roles.update(name, dto.permissions, principal.subject, principal);
  }
}
