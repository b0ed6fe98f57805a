import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { Environment } from '../config/environment';
import { EventsService } from './events.service';

/** Rows deleted per statement: short transactions that never hold many locks. */
export const RETENTION_BATCH = 1000;

/**
 * Deletes events older than EVENTS_RETENTION_HOURS, in batches. Every instance runs it; the
 * batches skip rows another instance is deleting, so they share the work without waiting.
 */
@Injectable()
export class EventsRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsRetentionService.name);
  private readonly task = new PeriodicTask(() => this.cleanUp());

  constructor(
    private readonly events: EventsService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.env.EVENTS_CLEANUP_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: deletes expired events batch by batch until none is left; the number deleted. */
  async cleanUp(): Promise<number> {
    let deleted = 0;
    try {
      for (;;) {
        const batch = await this.events.deleteExpired(this.env.EVENTS_RETENTION_HOURS, RETENTION_BATCH);
        deleted += batch;
        if (batch < RETENTION_BATCH) break;
      }
      if (deleted > 0) this.logger.log(`deleted ${deleted} events older than ${this.env.EVENTS_RETENTION_HOURS} h`);
    } catch (error) {
      this.logger.warn(`event cleanup failed: ${(error as Error).message}`);
    }
    return deleted;
  }
}
