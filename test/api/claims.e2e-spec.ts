import type { TestApp } from '../utils/test-app';
import { createJob, expectError, insertJobs, ISO_MS, startApi } from '../utils/fixtures';

describe('POST /api/jobs/claim', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await t.db.query('DELETE FROM jobs');
  });

  const claim = (body?: object) =>
    body === undefined ? t.http.post('/api/jobs/claim') : t.http.post('/api/jobs/claim').send(body);

  it('answers 204 with no body when no job waits', async () => {
    const res = await claim({});
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    await insertJobs(t.db, [{ status: 'processing' }, { status: 'completed' }, { status: 'failed' }]);
    expect((await claim()).status).toBe(204);
  });

  it('answers 200 with the job processing under a lease, worker and first attempt', async () => {
    const job = await createJob(t, 'audio');
    const res = await claim({ worker_id: 'worker-1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...job,
      status: 'processing',
      updated_at: expect.stringMatching(ISO_MS),
      started_at: expect.stringMatching(ISO_MS),
      attempts: 1,
      worker_id: 'worker-1',
      lease_expires_at: expect.stringMatching(ISO_MS),
    });
    const { rows } = await t.db.query(
      `SELECT status, worker_id, attempts, extract(epoch FROM lease_expires_at - started_at)::float AS lease_s FROM jobs WHERE id = $1`,
      [job.id],
    );
    expect(rows[0]).toEqual({ status: 'processing', worker_id: 'worker-1', attempts: 1, lease_s: 300 });
    expect((await claim()).status).toBe(204);
  });

  it('claims without a body or worker_id, and honours lease_seconds', async () => {
    const job = await createJob(t);
    const res = await claim();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: job.id, worker_id: null, attempts: 1 });
    const second = await createJob(t);
    const leased = await claim({ lease_seconds: 10 });
    expect(leased.status).toBe(200);
    expect(leased.body.id).toBe(second.id);
    expect(Date.parse(leased.body.lease_expires_at) - Date.parse(leased.body.started_at)).toBe(10_000);
    const max = await createJob(t);
    const long = await claim({ lease_seconds: 86_400 });
    expect(long.body.id).toBe(max.id);
    expect(Date.parse(long.body.lease_expires_at) - Date.parse(long.body.started_at)).toBe(86_400_000);
  });

  it('takes only the requested job_types', async () => {
    const [audio, document] = [await createJob(t, 'audio'), await createJob(t, 'document')];
    expect((await claim({ job_types: ['video'] })).status).toBe(204);
    const res = await claim({ job_types: ['video', 'document'] });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(document.id);
    const any = await claim({ worker_id: 'w' });
    expect(any.body.id).toBe(audio.id);
  });

  it('answers 400 for an empty job_types, claiming nothing', async () => {
    const job = await createJob(t);
    expectError(await claim({ job_types: [] }), 400, 'job_types');
    expect((await t.http.get(`/api/jobs/${job.id}`)).body.status).toBe('pending');
  });

  it('takes the highest priority first, then the oldest (ties by id)', async () => {
    const [p0old, p5new, p5old, pneg, p0new, p100] = await insertJobs(t.db, [
      { priority: 0, created_at: '2025-01-01T00:00:00Z' },
      { priority: 5, created_at: '2025-01-03T00:00:00Z' },
      { priority: 5, created_at: '2025-01-02T00:00:00Z' },
      { priority: -1, created_at: '2024-01-01T00:00:00Z' },
      { priority: 0, created_at: '2025-01-04T00:00:00Z' },
      { priority: 100, created_at: '2026-01-01T00:00:00Z' },
    ]);
    const order = [];
    for (let i = 0; i < 6; i++) {
      const res = await claim();
      expect(res.status).toBe(200);
      order.push(res.body.id);
    }
    expect(order).toEqual([p100, p5old, p5new, p0old, p0new, pneg]);
    expect((await claim()).status).toBe(204);
  });

  it('takes priority from create', async () => {
    const low = await createJob(t, 'video', { priority: -100 });
    const high = await createJob(t, 'video', { priority: 100 });
    expect((await claim()).body.id).toBe(high.id);
    expect((await claim()).body.id).toBe(low.id);
  });

  it('never hands out a processing job, leased or not', async () => {
    await insertJobs(t.db, [
      {
        status: 'processing',
        worker_id: 'w',
        attempts: 1,
        started_at: '2025-01-01T00:00:00Z',
        lease_expires_at: '2999-01-01T00:00:00Z',
      },
      { status: 'processing', started_at: '2025-01-01T00:00:00Z' },
    ]);
    expect((await claim()).status).toBe(204);
  });

  it('never lets start and claim both take one job', async () => {
    const ids = await insertJobs(
      t.db,
      Array.from({ length: 10 }, () => ({})),
    );
    const starts = ids.map((id) => t.http.post(`/api/jobs/${id}/start`));
    const claims = ids.map((_, i) => claim({ worker_id: `c${i}` }));
    const [started, claimedAnswers] = await Promise.all([Promise.all(starts), Promise.all(claims)]);
    const startedIds = ids.filter((_, i) => started[i].status === 200);
    expect(started.every((res) => res.status === 200 || res.status === 409)).toBe(true);
    const claimedIds = claimedAnswers.filter((res) => res.status === 200).map((res) => res.body.id);
    expect(claimedAnswers.every((res) => res.status === 200 || res.status === 204)).toBe(true);
    expect(startedIds.filter((id) => claimedIds.includes(id))).toEqual([]);
    expect(startedIds.length + claimedIds.length).toBe(10);
    const { rows } = await t.db.query(`SELECT id, attempts, worker_id FROM jobs WHERE status = 'processing'`);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row.attempts).toBe(claimedIds.includes(row.id) ? 1 : 0);
  });

  it('hands each of 20 jobs to exactly one of 30 concurrent claims on one instance', async () => {
    await insertJobs(
      t.db,
      Array.from({ length: 20 }, () => ({})),
    );
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => claim({ worker_id: `w${i}` })));
    const ok = answers.filter((res) => res.status === 200);
    expect(answers.filter((res) => res.status === 204)).toHaveLength(10);
    expect(ok).toHaveLength(20);
    expect(new Set(ok.map((res) => res.body.id)).size).toBe(20);
  });
});
