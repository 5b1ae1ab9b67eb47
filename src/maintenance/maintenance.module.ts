import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '../auth/auth.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { SignInModule } from '../signin/signin.module.js';
import { MaintenanceService } from './maintenance.service.js';

@Module({ imports: [ScheduleModule.forRoot(), AuthModule, EventLogModule, SignInModule], providers: [MaintenanceService], exports: [MaintenanceService] })
export class MaintenanceModule {}
