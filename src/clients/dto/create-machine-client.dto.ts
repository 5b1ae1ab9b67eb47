import { PickType } from '@nestjs/swagger';
import { RegisterClientDto } from './register-client.dto.js';

/** An operator's machine client: named and scoped under the rules a registration follows. */
export class CreateMachineClientDto extends PickType(RegisterClientDto, ['name', 'scopes'] as const) {}
