import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { DatabaseUnavailableError } from '../common/errors';
import { isConnectionError, isPostgresError } from '../common/postgres-errors';

/** A named statement: node-postgres prepares it once per connection and reuses the plan. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * Hot-path SQL on TypeORM's own pg pool. Repository services use it for single-statement
 * writes and reads (one round trip each, prepared); TypeORM still owns entities and migrations.
 */
@Injectable()
export class SqlService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  async query<T extends QueryResultRow>(statement: Statement, values: unknown[] = []): Promise<T[]> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(error);
    }
    try {
      const result = await client.query<T>({ name: statement.name, text: statement.text, values });
      client.release();
      return result.rows;
    } catch (error) {
      if (isPostgresError(error) && !isConnectionError(error)) {
        client.release();
        throw error;
      }
      // The connection itself failed: destroy it rather than return it to the pool.
      client.release(error as Error);
      throw new DatabaseUnavailableError(error);
    }
  }

  /** Pool gauges for metrics and health. */
  poolStats(): { total: number; idle: number; waiting: number } {
    const pool = this.pool;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }
}
