import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type ClientConfig, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** The channel the job_events trigger notifies (migration JobEvents). */
export const EVENTS_CHANNEL = 'job_events';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * The instance's one LISTEN connection (not one per stream client): every committed
 * transaction that wrote events wakes the shared fetcher. When the connection drops it
 * reconnects with backoff and wakes the fetcher again, which catches up from the table, so a
 * notification lost meanwhile loses no event.
 */
@Injectable()
export class EventListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventListenerService.name);
  private readonly wakeHandlers = new Set<() => void>();
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private backoffMs = RECONNECT_MIN_MS;
  private stopped = false;
  private connectedOnce = false;
  private readonly lostClients = new WeakSet<Client>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Calls `handler` on every notification and after every reconnect. */
  onWake(handler: () => void): () => void {
    this.wakeHandlers.add(handler);
    return () => this.wakeHandlers.delete(handler);
  }

  /**
   * Notifies every instance's listener (this one's too) on this same connection: a transaction
   * of its own with no xid, outside any write, and no pooled connection taken. Skipped while
   * the connection is down (the fetchers' periodic look finds the events then).
   */
  async notify(): Promise<void> {
    await this.client?.query(`NOTIFY ${EVENTS_CHANNEL}`);
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wake(): void {
    for (const handler of this.wakeHandlers) handler();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // The pool's own connection settings (URL or parts, TLS, timeouts): no credentials of ours.
    const poolOptions = ((this.dataSource.driver as PostgresDriver).master as Pool & { options: ClientConfig }).options;
    const client = new Client({
      ...poolOptions,
      application_name: 'media-analysis-api:events',
      keepAlive: true,
      statement_timeout: undefined,
    });
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = RECONNECT_MIN_MS;
    if (this.connectedOnce) this.logger.log('events LISTEN connection restored');
    this.connectedOnce = true;
    this.wake(); // whatever committed while we were not listening
  }

  private lost(client: Client, error?: Error): void {
    if (this.lostClients.has(client)) return; // 'error' and 'end' both report one loss
    this.lostClients.add(client);
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`events LISTEN connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.backoffMs);
    this.reconnectTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
  }
}
