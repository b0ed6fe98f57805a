import { Client } from 'pg';
import { startTestApp } from './utils/test-app';
import { createTestDatabase } from './utils/test-database';

/** The advisory lock every instance takes to migrate (MigrationsService). */
const MIGRATION_LOCK_KEY = 727_364_001;

async function holdMigrationLock(databaseUrl: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined); // the run's teardown drops the database under it
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  return client;
}

/**
 * Migrations at start are not ordinary requests: they run without the request statement timeout
 * (an index build may take minutes), and waiting for another instance's migration lock is bounded
 * by DB_MIGRATION_LOCK_TIMEOUT_MS, not by the statement timeout.
 */
describe('migrations at start', () => {
  it('waits for another instance holding the migration lock longer than the statement timeout, then migrates', async () => {
    const databaseUrl = await createTestDatabase({ empty: true });
    const other = await holdMigrationLock(databaseUrl);
    const released = new Promise<void>((resolve) =>
      setTimeout(
        () => void other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).then(() => resolve()),
        2000,
      ),
    );
    const started = Date.now();
    const t = await startTestApp({ databaseUrl, env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
    try {
      await released;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM typeorm_migrations`);
      expect(rows[0].n).toBeGreaterThan(0);
      await t.http.get('/api/jobs').expect(200);
    } finally {
      await t.close();
      await other.end();
    }
  });

  it('gives up after DB_MIGRATION_LOCK_TIMEOUT_MS with a message naming the lock, and migrates nothing', async () => {
    const databaseUrl = await createTestDatabase({ empty: true });
    const other = await holdMigrationLock(databaseUrl);
    try {
      const started = Date.now();
      await expect(
        startTestApp({ databaseUrl, env: { DB_MIGRATION_LOCK_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '0' } }),
      ).rejects.toThrow(/migration lock.*DB_MIGRATION_LOCK_TIMEOUT_MS/);
      expect(Date.now() - started).toBeLessThan(10_000);
      const { rows } = await other.query(`SELECT to_regclass('typeorm_migrations') AS t`);
      expect(rows[0].t).toBeNull();
    } finally {
      await other.end();
    }
  });
});
