import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runPrefix, withAdminClient } from './test-database';

/** Drops every database of this run, then stops the embedded server if the run started one. */
export default async function globalTeardown(): Promise<void> {
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${runPrefix()}\\_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }).catch((error: unknown) => console.warn(`could not drop test databases: ${(error as Error).message}`));
  const server = (globalThis as { __EMBEDDED_PG__?: EmbeddedPostgres }).__EMBEDDED_PG__;
  if (server) {
    await server.stop();
    await rm(path.dirname(server.dataDir), { recursive: true, force: true });
  }
}
