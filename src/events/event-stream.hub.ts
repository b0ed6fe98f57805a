import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DatabaseUnavailableError } from '../common/errors';
import { Environment } from '../config/environment';
import { EventListenerService } from './event-listener.service';
import { isAfter, type EventPosition } from './event-sql';
import type { EventStreamClient } from './event-stream-client';
import { EventsService } from './events.service';
import { toStreamEvent } from './sse';

/** Events fetched per step of the shared fetcher and per page of a client's catch-up. */
const BATCH = 500;
/** Re-poll delays while committed events wait behind an older, still open transaction. */
const REPOLL_MIN_MS = 20;
const REPOLL_MAX_MS = 1000;
/** While the database is unreachable. */
const RETRY_MS = 1000;
/**
 * How often the fetcher looks at the table by itself while clients listen: writes by other
 * clients of the database (plain SQL) send no notification, and neither does anything while
 * the LISTEN connection is down.
 */
export const LOOK_INTERVAL_MS = 250;

/**
 * The instance's one fetcher of new events, shared by all its stream clients. A notification
 * (sent after a write committed, see EventWakeupService), a re-poll or a periodic look wakes it; it reads what passed the xmin horizon since its position, once, and
 * hands each batch to every live client, which filters it in memory. A client that resumes from
 * an earlier event first catches up from the table up to the fetcher's position, then goes live:
 * no gap, no repeat. 1,000 idle clients cost no database connection; the fetcher uses one
 * pooled connection for one statement per wake.
 */
@Injectable()
export class EventStreamHub implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(EventStreamHub.name);
  private readonly clients = new Set<EventStreamClient>();
  /** Everything up to here was handed to live clients. */
  private position?: EventPosition;
  /** Wakes went unanswered while no client listened: fast-forward before serving one. */
  private behind = true;
  private dirty = false;
  private pumping?: Promise<void>;
  private failing = false;
  private closing = false;
  private repollTimer?: NodeJS.Timeout;
  private repollDelayMs = REPOLL_MIN_MS;
  private keepAliveTimer?: NodeJS.Timeout;
  private fallbackTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly events: EventsService,
    private readonly listener: EventListenerService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.listener.onWake(() => this.wake());
    this.keepAliveTimer = setInterval(() => {
      for (const client of this.clients) client.comment('keep-alive');
    }, this.env.EVENTS_KEEP_ALIVE_MS);
    this.keepAliveTimer.unref();
    this.fallbackTimer = setInterval(() => {
      if (this.clients.size > 0) this.wake();
    }, LOOK_INTERVAL_MS);
    this.fallbackTimer.unref();
  }

  /** Graceful shutdown: open streams end now, so the HTTP server can close within the grace period. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const client of this.clients) client.end('server shutting down; reconnect with Last-Event-ID to resume');
    this.clients.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.keepAliveTimer);
    clearInterval(this.fallbackTimer);
    clearTimeout(this.repollTimer);
    await this.pumping;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Serves `client` from `from` (exclusive), or from now on when undefined: the stored events
   * first, then live ones. Rejects when the database fails before the client went live.
   */
  async attach(client: EventStreamClient, from?: EventPosition): Promise<void> {
    if (this.closing) {
      client.end('server shutting down; reconnect with Last-Event-ID to resume');
      return;
    }
    this.clients.add(client);
    client.onClose(() => this.clients.delete(client));
    try {
      const start = await this.fresh();
      client.position = from ?? start;
      // From here on every later commit reaches this client.
      client.comment('connected');
      while (!client.closed) {
        const target = this.position ?? start;
        // Synchronously from the check to `live`: no fan-out can slip in between.
        if (!isAfter(target, client.position)) {
          client.live = true;
          return;
        }
        const rows = await this.events.page({ ...client.filter, after: client.position, upTo: target, limit: BATCH });
        client.send(rows.map(toStreamEvent));
        if (rows.length < BATCH) client.skipTo(target);
        await client.drained();
      }
    } catch (error) {
      this.clients.delete(client);
      throw error;
    }
  }

  /** A notification arrived, a re-poll is due or the fetcher must catch up. */
  wake(): void {
    if (this.closing) return;
    if (this.clients.size === 0) {
      this.behind = true;
      return;
    }
    this.dirty = true;
    this.pumping ??= this.pump();
  }

  /** The fetcher's position, fast-forwarded to the newest event if no client was listening. */
  private async fresh(): Promise<EventPosition> {
    for (let attempt = 0; attempt < 3 && (this.behind || !this.position); attempt++) {
      this.dirty = true;
      this.pumping ??= this.pump();
      await this.pumping;
    }
    if (this.behind || !this.position) throw new DatabaseUnavailableError();
    return this.position;
  }

  private async pump(): Promise<void> {
    await null; // so that `pumping` is set before this can finish
    try {
      while (this.dirty && !this.closing) {
        this.dirty = false;
        await this.step();
      }
      if (this.failing) this.logger.log('event stream fetcher recovered');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`event stream fetcher failed: ${(error as Error).message}; retrying`);
        for (const client of this.clients) client.comment('database unavailable; retrying');
      }
      this.failing = true;
      this.scheduleRepoll(RETRY_MS);
    } finally {
      this.pumping = undefined;
    }
  }

  private async step(): Promise<void> {
    if (this.behind || !this.position) {
      this.position = await this.events.head();
      this.behind = false;
      return;
    }
    const { rows, heldBack } = await this.events.next(this.position, BATCH);
    if (rows.length > 0) {
      const batch = rows.map(toStreamEvent);
      this.position = batch[batch.length - 1].position;
      for (const client of this.clients) if (client.live) client.send(batch);
    }
    if (rows.length === BATCH) this.dirty = true;
    if (heldBack) {
      this.scheduleRepoll(this.repollDelayMs);
      this.repollDelayMs = Math.min(this.repollDelayMs * 2, REPOLL_MAX_MS);
    } else {
      this.repollDelayMs = REPOLL_MIN_MS;
    }
  }

  private scheduleRepoll(delayMs: number): void {
    if (this.repollTimer || this.closing) return;
    this.repollTimer = setTimeout(() => {
      this.repollTimer = undefined;
      this.wake();
    }, delayMs);
    this.repollTimer.unref();
  }
}
