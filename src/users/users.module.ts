import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminRolesController } from './admin-roles.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { MeController } from './me.controller.js';
import { PasswordService } from './password.service.js';
import { Role } from './role.entity.js';
import { RolesService } from './roles.service.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, Role])],
  controllers: [AdminUsersController, AdminRolesController, MeController],
  providers: [UsersService, RolesService, PasswordService],
  exports: [UsersService, RolesService, PasswordService],
})
export class UsersModule {}
