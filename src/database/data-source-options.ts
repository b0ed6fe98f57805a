import { readFileSync } from 'node:fs';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import type { Environment } from '../config/environment';
import { MIGRATIONS } from '../migrations';
import type { DatabaseTarget } from './database-url';
import { ENTITIES } from './entities';

/**
 * TLS to the database verifies the server's certificate and host name (a connection without
 * verification is open to anyone in the middle), against DB_SSL_CA when the CA is private.
 */
function tlsOptions(env: Environment): { rejectUnauthorized: true; ca?: string } | undefined {
  if (!env.DB_SSL) return undefined;
  return env.DB_SSL_CA
    ? { rejectUnauthorized: true, ca: readFileSync(env.DB_SSL_CA, 'utf8') }
    : { rejectUnauthorized: true };
}

/**
 * The one DataSource configuration, shared by the Nest app (TypeOrmModule) and the TypeORM CLI
 * (ormconfig.ts). Pool settings mirror the design document: 30 connections, recycled hourly.
 */
export function buildDataSourceOptions(env: Environment, target: DatabaseTarget): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    ...target,
    ssl: tlsOptions(env),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: false,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    poolSize: env.DB_POOL_MAX,
    connectTimeoutMS: env.DB_CONNECT_TIMEOUT_MS,
    applicationName: 'media-analysis-api',
    logging: ['error', 'warn', 'migration'],
    extra: {
      // pg-pool discards a client that errored, so a broken connection is never handed out;
      // keepAlive notices a dead peer on idle connections, maxLifetimeSeconds recycles them.
      max: env.DB_POOL_MAX,
      idleTimeoutMillis: env.DB_IDLE_TIMEOUT_MS,
      connectionTimeoutMillis: env.DB_CONNECT_TIMEOUT_MS,
      maxLifetimeSeconds: env.DB_MAX_LIFETIME_S,
      keepAlive: true,
      statement_timeout: env.DB_STATEMENT_TIMEOUT_MS || undefined,
      // No JIT: every statement here runs in milliseconds, and PostgreSQL compiles once a plan's
      // estimated cost passes jit_above_cost, which a search's (inflated by its never-run
      // branches) did: 140 ms of compiling for a 15 ms query. Sessions in UTC: timestamps are
      // written as the API answers them, on isoMillis's fast path (common/timestamps.ts).
      options: '-c jit=off -c TimeZone=UTC',
    },
  };
}
