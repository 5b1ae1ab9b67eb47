import { PickType } from '@nestjs/swagger';
import { CreateRoleDto } from './create-role.dto.js';

export class UpdateRoleDto extends PickType(CreateRoleDto, ['permissions'] as const) {}
