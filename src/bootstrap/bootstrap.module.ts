import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { UsersModule } from '../users/users.module.js';
import { BootstrapService } from './bootstrap.service.js';

@Module({ imports: [UsersModule, ClientsModule, AuthModule], providers: [BootstrapService] })
export class BootstrapModule {}
