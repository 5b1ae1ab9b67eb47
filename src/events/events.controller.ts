import { BadRequestException, Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import type { Principal } from '../common/principal.js';
import { EventStreams } from './event-streams.service.js';

/** Stream positions are the log's ids: decimal, at most 15 digits (exact in a JSON number). */
const POSITION = /^\d{1,15}$/;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly streams: EventStreams) {}

  @Get()
  @RequirePermissions('events:subscribe')
  @ApiOperation({
    summary: 'Access-change events as Server-Sent Events, resumable with Last-Event-ID',
    description:
      'Every change that ends or narrows access, in commit order, each with an id. A subscriber that reconnects with `Last-Event-ID` gets what it missed (or a `reset` event when that is no longer kept). Heartbeat comments every 5 s. The stream ends when its token expires or its client is suspended.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received' })
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiBadRequestResponse({ description: 'Last-Event-ID is not an event id' })
  @ApiTooManyRequestsResponse({ description: 'The client already holds the most streams it may open at once' })
  async subscribe(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (lastEventId !== undefined && !POSITION.test(lastEventId)) {
      throw new BadRequestException({ error: 'invalid_request', error_description: 'Last-Event-ID must be an event id of this stream' });
    }
    const start = await this.streams.prepare(principal, lastEventId === undefined ? null : Number(lastEventId));
    // From here on the response is a stream written by hand, not a value for Nest to serialize.
    reply.hijack();
    await this.streams.start(reply.raw, principal, start);
  }
}
