import { Module } from '@nestjs/common';
import { AccessEventFeed } from './access-event.feed.js';
import { EventLogModule } from './event-log.module.js';
import { EventStreams } from './event-streams.service.js';
import { EventsController } from './events.controller.js';

/** `GET /events`: the access-change stream for resource servers in other processes, read from the log. */
@Module({
  imports: [EventLogModule],
  controllers: [EventsController],
  providers: [AccessEventFeed, EventStreams],
})
export class EventsModule {}
