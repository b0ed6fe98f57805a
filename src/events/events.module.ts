import { Module } from '@nestjs/common';
import { EventListenerService } from './event-listener.service';
import { EventStreamHub } from './event-stream.hub';
import { EventWakeupService } from './event-wakeup.service';
import { EventsController } from './events.controller';
import { EventsRetentionService } from './events-retention.service';
import { EventsService } from './events.service';

@Module({
  controllers: [EventsController],
  providers: [EventsService, EventListenerService, EventStreamHub, EventWakeupService, EventsRetentionService],
  exports: [EventsService, EventStreamHub],
})
export class EventsModule {}
