import { Injectable, type Type } from '@nestjs/common';
import { LOCAL_OPERATOR } from '../authorization/grant-policy.js';
import { KeySetService } from '../auth/keys/key-set.service.js';
import { ClientsService } from '../clients/clients.service.js';
import type { ClientSecretDto } from '../clients/dto/client-secret.dto.js';
import { CreateMachineClientDto } from '../clients/dto/create-machine-client.dto.js';
import { createValidationPipe } from '../common/http/validation-pipe.js';
import { TransactionService } from '../database/transaction.service.js';
import { CreateUserDto } from '../users/dto/create-user.dto.js';
import { ResetPasswordDto } from '../users/dto/reset-password.dto.js';
import type { UserDto } from '../users/dto/user.dto.js';
import { RolesService } from '../users/roles.service.js';
import { UsersService } from '../users/users.service.js';

/**
 * What an operator with the server's environment (and so its database) may
 * do without a token: recover from lost bootstrap credentials, make a machine
 * client, rotate keys. Input goes through the API's validation pipe and DTOs,
 * so it is refused exactly as the API would refuse it.
 */
@Injectable()
export class AdminCommands {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly users: UsersService,
    private readonly roles: RolesService,
    private readonly clients: ClientsService,
    private readonly keys: KeySetService,
    private readonly transactions: TransactionService,
  ) {}

  async createUser(username: string, password: string, roles: string[]): Promise<UserDto> {
    const dto = await this.validated(CreateUserDto, { username, password, roles });
    // The seeded roles exist even when no server has started on this database yet.
    await this.transactions.run((m) => this.roles.seed(m));
    return this.users.create(dto, null, LOCAL_OPERATOR);
  }

  async resetPassword(username: string, password: string): Promise<UserDto> {
    const dto = await this.validated(ResetPasswordDto, { password });
    return this.users.resetPassword(username, dto.password, null);
  }

  async createClient(name: string, scopes: string[]): Promise<ClientSecretDto> {
    const dto = await this.validated(CreateMachineClientDto, { name, scopes });
    return this.clients.createMachineClient(dto.name, dto.scopes);
  }

  rotateKeys(): Promise<{ kid: string; retired: string[] }> {
    return this.keys.rotate(null);
  }

  private async validated<T>(metatype: Type<T>, value: object): Promise<T> {
    return (await this.validation.transform(value, { type: 'body', metatype })) as T;
  }
}
