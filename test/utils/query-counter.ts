import type { INestApplication } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

const COUNTED = Symbol('counted');

/**
 * Counts the statements the app sends through its TypeORM pg pool: every client the pool hands
 * out gets its `query` wrapped. `during(fn)` answers how many statements `fn` caused.
 */
export function countQueries(app: INestApplication): { during(fn: () => Promise<unknown>): Promise<number> } {
  const pool = (app.get(DataSource).driver as unknown as { master: Pool }).master;
  let count = 0;
  const wrap = (client: PoolClient) => {
    const marked = client as PoolClient & { [COUNTED]?: true };
    if (!marked[COUNTED]) {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        count++;
        return query(...args);
      };
      marked[COUNTED] = true;
    }
    return client;
  };
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
    const callback = args[0];
    if (typeof callback === 'function') {
      return connect((error: Error | undefined, client: PoolClient, done: unknown) =>
        callback(error, client && wrap(client), done),
      );
    }
    return (connect() as Promise<PoolClient>).then(wrap);
  };
  return {
    async during(fn) {
      count = 0;
      await fn();
      return count;
    },
  };
}
