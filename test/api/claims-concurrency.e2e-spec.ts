import type { TestApp } from '../utils/test-app';
import { insertJobs, startApi } from '../utils/fixtures';

/** Two service instances on one database: each job is claimed by exactly one caller. */
describe('claims across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    b = await startApi({ databaseUrl: a.databaseUrl, env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it.each([1, 2, 3])('hands 50 jobs to 60 concurrent claims exactly once, 10 get 204 (round %i)', async () => {
    await a.db.query('DELETE FROM jobs');
    const ids = await insertJobs(
      a.db,
      Array.from({ length: 50 }, (_, i) => ({ job_type: ['video', 'audio', 'document'][i % 3] })),
    );
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? a : b).http.post('/api/jobs/claim').send({ worker_id: `worker-${i}`, lease_seconds: 60 }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 204)).toHaveLength(10);
    const claimed = answers.filter((res) => res.status === 200).map((res) => res.body.id);
    expect(new Set(claimed).size).toBe(50);
    expect([...claimed].sort()).toEqual([...ids].sort());

    // The database agrees: every job processing once, under the worker that got it.
    const { rows } = await a.db.query(`SELECT id, status, attempts, worker_id FROM jobs`);
    expect(rows.every((row) => row.status === 'processing' && row.attempts === 1)).toBe(true);
    const holder = new Map(answers.filter((res) => res.status === 200).map((res) => [res.body.id, res.body.worker_id]));
    for (const row of rows) expect(row.worker_id).toBe(holder.get(row.id));
    // Both instances served claims.
    const byInstance = answers.map((res, i) => [i % 2, res.status]);
    expect(byInstance.filter(([inst, s]) => inst === 0 && s === 200).length).toBeGreaterThan(0);
    expect(byInstance.filter(([inst, s]) => inst === 1 && s === 200).length).toBeGreaterThan(0);
  });

  it('keeps job_types apart under concurrency', async () => {
    await a.db.query('DELETE FROM jobs');
    await insertJobs(
      a.db,
      [...Array(10)].map(() => ({ job_type: 'audio' })).concat([...Array(10)].map(() => ({ job_type: 'video' }))),
    );
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).http.post('/api/jobs/claim').send({ job_types: ['audio'] })),
    );
    const ok = answers.filter((res) => res.status === 200);
    expect(ok).toHaveLength(10);
    expect(ok.every((res) => res.body.job_type === 'audio')).toBe(true);
    expect(new Set(ok.map((res) => res.body.id)).size).toBe(10);
    const { rows } = await a.db.query(
      `SELECT count(*)::int AS n FROM jobs WHERE job_type = 'video' AND status = 'pending'`,
    );
    expect(rows[0].n).toBe(10);
  });
});
