import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SqlService } from '../database/sql.service';
import { EventListenerService } from './event-listener.service';
import { EventStreamHub } from './event-stream.hub';

/**
 * At most one notification per this many milliseconds per instance. NOTIFY costs the database
 * more than its size suggests: 10 ms apart, the load and shutdown tests lost about a third of
 * their answers under concurrent writes; 50 ms apart they did not (and 50 ms stays well inside
 * the 250 ms delivery target).
 */
const MIN_GAP_MS = 50;

/**
 * Wakes event readers after this instance's writes, outside the writing transactions:
 * PostgreSQL serializes the commits of all transactions that NOTIFY (one database-wide lock,
 * held through the commit), so the writes themselves never notify. After a statement that
 * changed rows has committed, this instance's own fetcher is woken at once and every instance's
 * through one NOTIFY on the LISTEN connection, in a transaction of its own (no xid, so no commit
 * record to wait for), coalesced: at most one in flight and one per MIN_GAP_MS. Writes from
 * elsewhere (plain SQL) are found by the fetchers' periodic look at the table.
 */
@Injectable()
export class EventWakeupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventWakeupService.name);
  private sending = false;
  private pending = false;
  private lastSentAt = 0;

  constructor(
    private readonly sql: SqlService,
    private readonly hub: EventStreamHub,
    private readonly listener: EventListenerService,
  ) {}

  onApplicationBootstrap(): void {
    this.sql.onWrite(() => this.changed());
  }

  /** Something committed that may have written events. */
  changed(): void {
    this.hub.wake();
    this.pending = true;
    if (!this.sending) void this.send();
  }

  private async send(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending) {
        const wait = this.lastSentAt + MIN_GAP_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.pending = false;
        this.lastSentAt = Date.now();
        await this.listener.notify();
      }
    } catch (error) {
      // Other instances then find the events at their next periodic look; none is lost.
      this.logger.warn(`could not notify event readers: ${(error as Error).message}`);
      this.pending = false;
    } finally {
      this.sending = false;
    }
  }
}
