import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessEventRow } from './access-event.entity.js';
import { AccessEventLog } from './access-event.log.js';

/**
 * The access-event log alone, global like the invalidation bus: every feature that ends or narrows
 * access appends to it in its unit of work, in the server and in the admin CLI alike (which has no
 * HTTP, hence no stream).
 */
@Global()
@Module({ imports: [TypeOrmModule.forFeature([AccessEventRow])], providers: [AccessEventLog], exports: [AccessEventLog] })
export class EventLogModule {}
