import type { TestApp } from '../utils/test-app';
import { createJob, expectError, startApi, type Json } from '../utils/fixtures';

/** Heartbeat progress: validated, written by the heartbeat, cleared by claim/start/retry, an event only on change. */
describe('POST /api/jobs/{id}/heartbeat with progress', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(() => t?.close());

  const progressEvents = async (jobId: string): Promise<Json[]> =>
    (
      await t.db.query(`SELECT data FROM job_events WHERE job_id = $1 AND type = 'job.progress' ORDER BY tx_id, id`, [
        jobId,
      ])
    ).rows.map((row) => row.data);

  /** A job claimed by worker w (the only pending one). */
  async function claimed(): Promise<Json> {
    await t.db.query(`DELETE FROM jobs`);
    const job = await createJob(t, 'video');
    await t.http.post('/api/jobs/claim').send({ worker_id: 'w' }).expect(200);
    return job;
  }
  const beat = (id: string, body: Json) => t.http.post(`/api/jobs/${id}/heartbeat`).send({ worker_id: 'w', ...body });

  it('answers progress and progress_message as null until set, then as set', async () => {
    const job = await claimed();
    expect(job).toMatchObject({ progress: null, progress_message: null });
    const res = await beat(job.id, { progress: 42.5, progress_message: 'transcribing 3 of 7' }).expect(200);
    expect(res.body).toMatchObject({ progress: 42.5, progress_message: 'transcribing 3 of 7' });
    const detail = (await t.http.get(`/api/jobs/${job.id}`).expect(200)).body;
    expect(detail).toMatchObject({ progress: 42.5, progress_message: 'transcribing 3 of 7' });
  });

  it('writes job.progress only when a value changes; left out or null keeps the value', async () => {
    const job = await claimed();
    await beat(job.id, { progress: 10 }).expect(200);
    await beat(job.id, { progress: 10 }).expect(200);
    await beat(job.id, {}).expect(200);
    const kept = await beat(job.id, { progress: null, progress_message: null }).expect(200);
    expect(kept.body).toMatchObject({ progress: 10, progress_message: null });
    await beat(job.id, { progress_message: 'decoding' }).expect(200);
    await beat(job.id, { progress: 10, progress_message: 'decoding', lease_seconds: 600 }).expect(200);
    await beat(job.id, { progress: 100 }).expect(200);
    expect((await progressEvents(job.id)).map((data) => [data.progress, data.progress_message])).toEqual([
      [10, null],
      [10, 'decoding'],
      [100, 'decoding'],
    ]);
  });

  it('is cleared by a new claim, by start and by retry', async () => {
    const job = await claimed();
    await beat(job.id, { progress: 60, progress_message: 'half' }).expect(200);
    await t.db.query(`UPDATE jobs SET status = 'pending', lease_expires_at = NULL WHERE id = $1`, [job.id]);
    const again = await t.http.post('/api/jobs/claim').send({ worker_id: 'w' }).expect(200);
    expect(again.body).toMatchObject({ id: job.id, progress: null, progress_message: null });

    await beat(job.id, { progress: 70 }).expect(200);
    await t.http.post(`/api/jobs/${job.id}/fail`).send({ error: 'x' }).expect(200);
    const retried = await t.http.post(`/api/jobs/${job.id}/retry`).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', progress: null, progress_message: null });

    await t.db.query(`UPDATE jobs SET progress = 5 WHERE id = $1`, [job.id]);
    const started = await t.http.post(`/api/jobs/${job.id}/start`).expect(200);
    expect(started.body).toMatchObject({ progress: null, progress_message: null });
  });

  it('answers 400 naming the field for bad progress, and changes nothing', async () => {
    const job = await claimed();
    await beat(job.id, { progress: 5, progress_message: 'ok' }).expect(200);
    for (const [body, field] of [
      [{ progress: -0.1 }, 'progress'],
      [{ progress: 100.5 }, 'progress'],
      [{ progress: '50' }, 'progress'],
      [{ progress: true }, 'progress'],
      [{ progress_message: 'x'.repeat(501) }, 'progress_message'],
      [{ progress_message: 7 }, 'progress_message'],
    ] as const) {
      expectError(await beat(job.id, body), 400, field);
    }
    expect((await beat(job.id, { progress_message: '🎬'.repeat(500) }).expect(200)).body.progress_message).toHaveLength(
      1000,
    ); // 500 code points, 1000 UTF-16 units
    expect((await t.http.get(`/api/jobs/${job.id}`).expect(200)).body.progress).toBe(5);
    expect(await progressEvents(job.id)).toHaveLength(2);
  });
});
