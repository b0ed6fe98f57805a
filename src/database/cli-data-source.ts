import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readEnvironment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';
import { databaseTarget } from './database-url';
import { embeddedPostgresUrl } from './embedded-postgres';

/**
 * The DataSource of the TypeORM CLI, from the same environment the service reads (`.env`
 * included). Without DATABASE_URL/DB_HOST it targets the embedded
 * PostgreSQL that `npm start` runs, so migration commands work on a zero-config checkout too.
 */
function cliDataSource(): DataSource {
  const env = readEnvironment();
  // Migrations are not requests: no request statement timeout (a long index build would fail).
  env.DB_STATEMENT_TIMEOUT_MS = 0;
  if (env.databaseConfigured) return new DataSource(buildDataSourceOptions(env, databaseTarget(env)));
  const url = embeddedPostgresUrl(env.EMBEDDED_PG_DATA_DIR, env.EMBEDDED_PG_PORT);
  if (!url) {
    throw new Error(
      `No database configured: set DATABASE_URL (or DB_HOST...), or run "npm start" once so the embedded PostgreSQL in ${env.EMBEDDED_PG_DATA_DIR} exists`,
    );
  }
  return new DataSource(buildDataSourceOptions(env, { url }));
}

export default cliDataSource();
