import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type ClientConfig, type QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

/** How long the probe may take to connect, and then to get its answer. */
export const PROBE_TIMEOUT_MS = 2000;

/**
 * Readiness of PostgreSQL, from one connection of the probe's own, outside the pool: a pool
 * that is merely busy (every connection serving requests) is not a database that is down. Its
 * query has a read timeout, so a dead socket (a partition) costs one probe, not a pool slot for
 * minutes; a failed connection is dropped and the next probe opens a new one. Probes arriving
 * together share one query, so however often /health is called (it is open and not rate
 * limited), the database sees at most one probe connection and one query at a time.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private client?: Client;
  private inFlight?: Promise<boolean>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when PostgreSQL answered `SELECT 1` within the timeouts. Never throws. */
  isUp(): Promise<boolean> {
    this.inFlight ??= this.ping().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async ping(): Promise<boolean> {
    try {
      if (!this.client) {
        const client = new Client(this.connectionConfig());
        // An error on an idle connection (server restart) only means: open a new one next time.
        client.on('error', () => this.drop(client));
        this.client = client;
        await client.connect();
      }
      const query: QueryConfig & { query_timeout: number } = { text: 'SELECT 1', query_timeout: PROBE_TIMEOUT_MS };
      await this.client.query(query);
      return true;
    } catch {
      if (this.client) this.drop(this.client);
      return false;
    }
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
  }

  /** The DataSource's own target and TLS settings, with the probe's timeouts. */
  private connectionConfig(): ClientConfig {
    const options = this.dataSource.options as PostgresDataSourceOptions;
    return {
      connectionString: options.url,
      host: options.host,
      port: options.port,
      user: options.username,
      password: typeof options.password === 'string' ? options.password : undefined,
      database: options.database,
      ssl: options.ssl as ClientConfig['ssl'],
      application_name: `${options.applicationName ?? 'media-analysis-api'} health`,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      statement_timeout: PROBE_TIMEOUT_MS,
      keepAlive: true,
    };
  }

  onApplicationShutdown(): void {
    if (this.client) this.drop(this.client);
  }
}
