import { Global, Module } from '@nestjs/common';
import { AccessEventFeed } from './access-event.feed.js';
import { AccessEventLog } from './access-event.log.js';
import { EventStreams } from './event-streams.service.js';
import { EventsController } from './events.controller.js';

/**
 * `GET /events`: the access-change stream for resource servers in other processes. Global, like
 * the invalidation bus: every feature that ends or narrows access appends to its log.
 */
@Global()
@Module({
  controllers: [EventsController],
  providers: [AccessEventLog, AccessEventFeed, EventStreams],
  exports: [AccessEventLog],
})
export class EventsModule {}
