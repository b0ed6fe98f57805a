import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { MIGRATIONS } from '../../src/migrations';
import { ENTITIES } from '../../src/database/entities';
import { databaseUrl, withAdminClient } from './test-database';
import { freePort } from './free-port';

/**
 * One PostgreSQL for the run: TEST_DATABASE_URL when set, otherwise an embedded server in a
 * temporary directory. A template database gets the real migrations once; each test file then
 * copies it into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  const prefix = `ma_test_${randomBytes(3).toString('hex')}`;
  process.env.TEST_RUN_PREFIX = prefix;
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.TEST_DATABASE_URL;
  } else {
    const root = await mkdtemp(path.join(tmpdir(), 'media-analysis-test-'));
    await chmod(root, 0o755); // the server runs as the postgres OS user when we are root
    const dataDir = path.join(root, 'postgres');
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = server;
    process.env.TEST_SERVER_URL = server.superuserUrl;
  }
  const template = `${prefix}_template`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${template}`));
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl(template),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
