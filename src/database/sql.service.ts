import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { DatabaseUnavailableError } from '../common/errors';
import { API_TYPES } from '../common/timestamps';
import { isConnectionError, isPostgresError } from '../common/postgres-errors';
import { Environment } from '../config/environment';
import { PreparedQuery } from './prepared-query';

/** SQLSTATE of "cached plan must not change result type" (feature_not_supported). */
const STALE_PREPARED_PLAN = '0A000';

/** A named statement: node-postgres prepares it once per connection and reuses the plan. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * Hot-path SQL on TypeORM's own pg pool. Repository services use it for single-statement
 * writes and reads (one round trip each, prepared); TypeORM still owns entities and migrations.
 * Rows carry their timestamps as the API writes them (ISO strings, see API_TYPES), not as Dates.
 */
@Injectable()
export class SqlService {
  /**
   * How long a sent query may go unanswered: PostgreSQL cancels it itself at the statement
   * timeout, and its answer needs at most a connect timeout more. Past that the server is
   * unreachable (a partition, a host that lost power) and the connection is dropped; without
   * this the request would wait until TCP gives up, many minutes later.
   */
  private readonly readTimeoutMs: number | undefined;
  private readonly maxConnections: number;
  private readonly writeListeners: (() => void)[] = [];
  /** Per statement name: whether it may change rows (INSERT, UPDATE or DELETE anywhere in it). */
  private readonly writes = new Map<string, boolean>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    env: Environment,
  ) {
    this.maxConnections = env.DB_POOL_MAX;
    this.readTimeoutMs = env.DB_STATEMENT_TIMEOUT_MS
      ? env.DB_STATEMENT_TIMEOUT_MS + env.DB_CONNECT_TIMEOUT_MS
      : undefined;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  async query<T extends QueryResultRow>(statement: Statement, values: unknown[] = []): Promise<T[]> {
    // 0A000 "cached plan must not change result type": a migration changed a table under a
    // statement the connection prepared earlier. Nothing was executed, so it is safe to run
    // again; queryOnce dropped that connection, and every pooled connection that prepared the
    // statement before the change fails the same way once, so at most pool-size retries reach
    // a connection that prepares it afresh.
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.queryOnce<T>(statement, values);
        // Each statement runs alone (autocommit): when it returns, its changes have committed.
        if (this.writeListeners.length > 0 && result.rowCount !== 0 && this.isWrite(statement)) {
          for (const listener of this.writeListeners) listener();
        }
        return result.rows;
      } catch (error) {
        if (!isPostgresError(error) || error.code !== STALE_PREPARED_PLAN || attempt >= this.maxConnections)
          throw error;
      }
    }
  }

  private async queryOnce<T extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<QueryResult<T>> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(error);
    }
    try {
      const result = await this.execute<T>(client, statement, values);
      client.release();
      return result;
    } catch (error) {
      if (isPostgresError(error) && !isConnectionError(error)) {
        // A connection whose prepared plan went stale would fail the same way every time it
        // runs that statement: destroy it rather than return it to the pool.
        if (error.code === STALE_PREPARED_PLAN) client.release(error as unknown as Error);
        else client.release();
        throw error;
      }
      // The connection itself failed: destroy it rather than return it to the pool.
      client.release(error as Error);
      throw new DatabaseUnavailableError(error);
    }
  }

  /**
   * Runs a statement on `client`, failing it after readTimeoutMs without an answer (the caller
   * then destroys the connection). The timer is ours and pg is called with a callback: with pg's
   * own query_timeout, or with the promise its query() returns, nearly everything a request
   * allocated (rows, its answer's JSON) outlived two young-generation collections and was
   * promoted to the old generation, measured with node --trace-gc-nvp under wrk (list: ~5 MB
   * promoted per 50 MB allocated against ~15 KB here, scavenges of 20–60 ms against 1–5), and
   * the service spent more CPU collecting it than in most of its own code. Why pg's closures
   * keep it alive that long is not established. The timeout itself is proved by the network
   * partition tests (test/security/database-outage.e2e-spec.ts).
   */
  private execute<T extends QueryResultRow>(
    client: PoolClient,
    statement: Statement,
    values: unknown[],
  ): Promise<QueryResult<T>> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer =
        this.readTimeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              settled = true;
              reject(new Error(`Query read timeout: no answer within ${this.readTimeoutMs} ms`));
            }, this.readTimeoutMs);
      const config: QueryConfig = { name: statement.name, text: statement.text, values, types: API_TYPES };
      const query = new PreparedQuery<T>(config, (error, result) => {
        if (settled) return; // timed out: the connection is being destroyed
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(result as QueryResult<T>);
      });
      client.query(query);
    });
  }

  /** Calls `listener` after every statement that changed rows has committed (job events wake their readers so). */
  onWrite(listener: () => void): void {
    this.writeListeners.push(listener);
  }

  private isWrite(statement: Statement): boolean {
    let write = this.writes.get(statement.name);
    if (write === undefined) {
      write = /\b(INSERT|UPDATE|DELETE)\b/i.test(statement.text);
      this.writes.set(statement.name, write);
    }
    return write;
  }

  /** Pool gauges for metrics and health. */
  poolStats(): { total: number; idle: number; waiting: number } {
    const pool = this.pool;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }
}
