import type { OutgoingHttpHeaders } from 'node:http';
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-responses';
import { JobEventPageDto, JobEventResponseDto } from './dto/job-event-response.dto';
import { ListEventsQueryDto, StreamEventsQueryDto } from './dto/events-query.dto';
import { EventStreamHub } from './event-stream.hub';
import { EventStreamClient } from './event-stream-client';
import { eventFilter, EventsService } from './events.service';

const SSE_EXAMPLE =
  'id: 1042\nevent: job.completed\ndata: {"id":1042,"type":"job.completed","job_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6",' +
  '"job_type":"video","created_at":"2026-01-20T10:05:00.000Z","data":{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"completed"}}\n\n' +
  ': keep-alive\n\n';

@ApiTags('events')
@ApiExtraModels(JobEventResponseDto)
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly hub: EventStreamHub,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List job events in reading order (oldest first)',
    description:
      'Every change of a job and every child added, in the one order every reader sees. Resume with `after` ' +
      '(the last event id you processed): no event that commits later is ever missed.',
  })
  @ApiOkResponse({ type: JobEventPageDto })
  @ApiErrors(400)
  list(@Query() query: ListEventsQueryDto) {
    return this.events.list(query);
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Follow job events live (Server-Sent Events)',
    description:
      'Each event is sent as `id: <id>`, `event: <type>`, `data: <the event as JSON>` (the schema below). ' +
      'It starts after `Last-Event-ID` (or `after`): first the stored events, then live ones, with no gap and ' +
      'no repeat; with neither, it starts with new events. A `: keep-alive` comment comes every 15 s. When the ' +
      'server shuts down the stream ends with a comment; reconnect with `Last-Event-ID` to resume.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id (sent by EventSource on reconnect); wins over `after`.',
    example: '1042',
  })
  @ApiOkResponse({
    description: 'A text/event-stream of events; each `data` line holds one JobEventResponseDto.',
    content: {
      'text/event-stream': { schema: { $ref: getSchemaPath(JobEventResponseDto) }, example: SSE_EXAMPLE },
    },
  })
  @ApiErrors(400)
  async stream(
    @Query() query: StreamEventsQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Bad input and an unreachable database are still ordinary error answers up to here.
    const from = await this.events.streamStart(query, lastEventId);
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    reply.raw.write('retry: 1000\n\n'); // EventSource reconnects after 1 s, with Last-Event-ID
    const client = new EventStreamClient(reply.raw, eventFilter(query));
    try {
      await this.hub.attach(client, from);
    } catch {
      client.end('database unavailable; reconnect with Last-Event-ID to resume');
    }
  }
}
