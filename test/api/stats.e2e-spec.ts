import type { TestApp } from '../utils/test-app';
import { createJob, expectError, ISO_MS, startApi } from '../utils/fixtures';

const ZERO_QUEUE = {
  counts: { pending: 0, processing: 0, completed: 0, failed: 0 },
  total: 0,
  oldest_pending_created_at: null,
  last_5_minutes: { completed: 0, failed: 0 },
  last_hour: { completed: 0, failed: 0 },
};

/** Inserts `count` jobs of one shape directly (created_at and completed_at relative to now). */
async function seed(
  t: TestApp,
  count: number,
  job: { job_type: string; status: string; created_ago?: string; completed_ago?: string },
): Promise<void> {
  await t.db.query(
    `INSERT INTO jobs (job_type, status, media_url, created_at, completed_at, started_at)
     SELECT $1, $2, 'https://cdn.example.com/s.mp4', now() - $3::interval,
            CASE WHEN $4::interval IS NULL THEN NULL ELSE now() - $4::interval END,
            CASE WHEN $4::interval IS NULL THEN NULL ELSE now() - $4::interval - interval '1 s' END
     FROM generate_series(1, $5)`,
    [job.job_type, job.status, job.created_ago ?? '0', job.completed_ago ?? null, count],
  );
}

describe('GET /api/stats', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApi()));
  afterAll(async () => t?.close());
  beforeEach(async () => t.db.query('DELETE FROM jobs'));

  it('answers every job type with zeros on an empty queue', async () => {
    const res = await t.http.get('/api/stats');
    expect(res.status).toBe(200);
    expect(res.body.generated_at).toMatch(ISO_MS);
    expect(res.body.job_types).toEqual([
      { job_type: 'video', ...ZERO_QUEUE },
      { job_type: 'audio', ...ZERO_QUEUE },
      { job_type: 'document', ...ZERO_QUEUE },
    ]);
    expect(res.body.totals).toEqual(ZERO_QUEUE);
  });

  it('counts per type and status, the oldest pending job, and finishes in the last 5 minutes and hour', async () => {
    await seed(t, 3, { job_type: 'video', status: 'pending', created_ago: '10 minutes' });
    await seed(t, 1, { job_type: 'video', status: 'pending', created_ago: '2 hours' });
    await seed(t, 2, { job_type: 'video', status: 'processing' });
    await seed(t, 4, { job_type: 'video', status: 'completed', completed_ago: '1 minute' });
    await seed(t, 5, { job_type: 'video', status: 'completed', completed_ago: '30 minutes' });
    await seed(t, 6, { job_type: 'video', status: 'completed', completed_ago: '3 hours' });
    await seed(t, 2, { job_type: 'audio', status: 'failed', completed_ago: '2 minutes' });
    await seed(t, 1, { job_type: 'audio', status: 'failed', completed_ago: '50 minutes' });
    await seed(t, 7, { job_type: 'document', status: 'pending', created_ago: '1 day' });
    const [{ video_oldest, document_oldest }] = (
      await t.db.query(
        `SELECT (SELECT min(created_at) FROM jobs WHERE job_type = 'video' AND status = 'pending') AS video_oldest,
                (SELECT min(created_at) FROM jobs WHERE job_type = 'document' AND status = 'pending') AS document_oldest`,
      )
    ).rows;

    const res = await t.http.get('/api/stats');
    expect(res.status).toBe(200);
    const [video, audio, document] = res.body.job_types;
    expect(video).toEqual({
      job_type: 'video',
      counts: { pending: 4, processing: 2, completed: 15, failed: 0 },
      total: 21,
      oldest_pending_created_at: video_oldest.toISOString(),
      last_5_minutes: { completed: 4, failed: 0 },
      last_hour: { completed: 9, failed: 0 },
    });
    expect(audio).toEqual({
      job_type: 'audio',
      counts: { pending: 0, processing: 0, completed: 0, failed: 3 },
      total: 3,
      oldest_pending_created_at: null,
      last_5_minutes: { completed: 0, failed: 2 },
      last_hour: { completed: 0, failed: 3 },
    });
    expect(document).toMatchObject({
      counts: { pending: 7 },
      oldest_pending_created_at: document_oldest.toISOString(),
    });
    expect(res.body.totals).toEqual({
      counts: { pending: 11, processing: 2, completed: 15, failed: 3 },
      total: 31,
      oldest_pending_created_at: document_oldest.toISOString(),
      last_5_minutes: { completed: 4, failed: 2 },
      last_hour: { completed: 9, failed: 3 },
    });
  });

  it('follows the API: a job created, completed and failed moves the figures', async () => {
    const before = (await t.http.get('/api/stats')).body.totals;
    const a = await createJob(t, 'audio');
    const b = await createJob(t, 'audio');
    await t.http.post(`/api/jobs/${a.id}/start`).expect(200);
    await t.http.post(`/api/jobs/${a.id}/complete`).send({}).expect(200);
    await t.http.post(`/api/jobs/${b.id}/fail`).send({ error: 'boom' }).expect(200);
    const after = (await t.http.get('/api/stats')).body.totals;
    expect(after.total).toBe(before.total + 2);
    expect(after.last_5_minutes).toEqual({
      completed: before.last_5_minutes.completed + 1,
      failed: before.last_5_minutes.failed + 1,
    });
  });

  it('answers concurrent readers from the same read', async () => {
    await seed(t, 5, { job_type: 'document', status: 'failed', completed_ago: '1 minute' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.http.get('/api/stats')));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.totals.counts.failed).toBe(5);
    }
  });

  it('rejects an unknown query parameter', async () => {
    expectError(await t.http.get('/api/stats?type=video'), 400, 'type');
  });
});
