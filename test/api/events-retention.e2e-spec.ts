import { EventsRetentionService, RETENTION_BATCH } from '../../src/events/events-retention.service';
import type { TestApp } from '../utils/test-app';
import { createJob, startApi } from '../utils/fixtures';

/** EVENTS_RETENTION_HOURS: expired events deleted in batches, by any number of instances at once. */
describe('events retention', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { EVENTS_RETENTION_HOURS: '24', EVENTS_CLEANUP_INTERVAL_MS: '3600000' };
    a = await startApi({ env });
    b = await startApi({ databaseUrl: a.databaseUrl, env });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('deletes every event older than the retention period exactly once across instances, and nothing newer', async () => {
    const expired = RETENTION_BATCH * 2 + 500;
    await a.db.query(
      `INSERT INTO job_events (type, job_id, job_type, created_at, data)
       SELECT 'job.created', gen_random_uuid(), 'video', now() - interval '25 hours' - n * interval '1 second', '{}'
       FROM generate_series(1, $1) AS n`,
      [expired],
    );
    await a.db.query(
      `INSERT INTO job_events (type, job_id, job_type, created_at, data)
       VALUES ('job.created', gen_random_uuid(), 'audio', now() - interval '23 hours', '{}')`,
    );
    const job = await createJob(a, 'document');
    const cleaners = [a, b, a, b].map((t) => t.app.get(EventsRetentionService));

    const deleted = await Promise.all(cleaners.map((cleaner) => cleaner.cleanUp()));
    const total = deleted.reduce((sum, n) => sum + n, 0);
    const { rows } = await a.db.query(
      `SELECT count(*) FILTER (WHERE created_at < now() - interval '24 hours')::int AS old,
              count(*)::int AS left FROM job_events`,
    );
    // Batches skip rows another instance is deleting; a later pass takes what is left.
    const rest = await cleaners[0].cleanUp();
    expect(total + rest).toBe(expired);
    const after = await a.db.query(`SELECT type, job_id, job_type FROM job_events ORDER BY tx_id, id`);
    expect(after.rows).toEqual([
      { type: 'job.created', job_id: expect.any(String), job_type: 'audio' },
      { type: 'job.created', job_id: job.id, job_type: 'document' },
    ]);
    expect(rows[0].left).toBe(2 + rows[0].old);
  });
});
