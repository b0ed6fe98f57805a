import { LeaseSweeperService } from '../../src/jobs/lease-sweeper.service';
import type { TestApp } from '../utils/test-app';
import {
  addAnalysisResult,
  addAsset,
  addTranscription,
  createJob,
  insertJobs,
  startApi,
  type Json,
} from '../utils/fixtures';

/**
 * Every change of a job writes exactly one event of the right type, in the transaction of the
 * change, whoever makes it; a failed or refused change writes none (migration JobEvents).
 */
describe('job events written by the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(() => t?.close());

  const maxEventId = async (): Promise<number> =>
    Number((await t.db.query(`SELECT coalesce(max(id), 0) AS id FROM job_events`)).rows[0].id);

  /** The events written since event `since`, in reading order. */
  const eventsSince = async (since: number): Promise<Json[]> =>
    (
      await t.db.query(
        `SELECT id, tx_id, type, job_id, job_type, data FROM job_events WHERE id > $1 ORDER BY tx_id, id`,
        [since],
      )
    ).rows;

  /** Runs `action` and returns the events it wrote. */
  const written = async (action: () => Promise<unknown>): Promise<Json[]> => {
    const since = await maxEventId();
    await action();
    return eventsSince(since);
  };

  const post = (path: string, body: Json = {}) => t.http.post(path).send(body);

  it('writes job.created with the job as data, without internal columns', async () => {
    let job: Json = {};
    const events = await written(async () => {
      job = await createJob(t, 'audio', { prompt: 'p', parameters: { a: 1 } });
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'job.created', job_id: job.id, job_type: 'audio' });
    expect(events[0].data).toMatchObject({ id: job.id, status: 'pending', prompt: 'p', parameters: { a: 1 } });
    expect(events[0].data.has_callback).toBe(false);
    expect(events[0].data).not.toHaveProperty('idempotency_key');
    expect(events[0].data).not.toHaveProperty('callback_url');
    expect(events[0].data).toHaveProperty('progress', null);
    expect(events[0].data).toHaveProperty('progress_message', null);
  });

  it('writes one event per transition of the lifecycle, of the right type', async () => {
    await t.db.query(`DELETE FROM jobs`); // the claim below must take this test's job
    const job = await createJob(t, 'video');
    const types = async (action: () => Promise<unknown>) => (await written(action)).map((event) => event.type);

    expect(await types(() => post('/api/jobs/claim', { worker_id: 'w1' }).expect(200))).toEqual(['job.started']);
    expect(await types(() => post(`/api/jobs/${job.id}/heartbeat`, { worker_id: 'w1' }).expect(200))).toEqual([]);
    expect(await types(() => post(`/api/jobs/${job.id}/complete`, { result: { ok: true } }).expect(200))).toEqual([
      'job.completed',
    ]);

    const other = await createJob(t, 'document');
    expect(await types(() => post(`/api/jobs/${other.id}/start`).expect(200))).toEqual(['job.started']);
    const failed = await written(() => post(`/api/jobs/${other.id}/fail`, { error: 'boom' }).expect(200));
    expect(failed.map((event) => event.type)).toEqual(['job.failed']);
    expect(failed[0].data).toMatchObject({ status: 'failed', error: 'boom' });
    expect(await types(() => post(`/api/jobs/${other.id}/retry`).expect(200))).toEqual(['job.retried']);
    expect(await types(() => post(`/api/jobs/${other.id}/fail`, { error: 'again' }).expect(200))).toEqual([
      'job.failed',
    ]);

    const deleted = await written(() => t.http.delete(`/api/jobs/${other.id}`).expect(204));
    expect(deleted).toEqual([expect.objectContaining({ type: 'job.deleted', job_id: other.id, job_type: 'document' })]);
    expect(deleted[0].data).toBeNull();
  });

  it('writes asset.created, transcription.created and analysis_result.created with the child as data', async () => {
    const job = await createJob(t, 'audio');
    const asset = await written(() => addAsset(t, job.id, { metadata: { w: 1 } }));
    const transcription = await written(() => addTranscription(t, job.id));
    const analysis = await written(() => addAnalysisResult(t, job.id));
    for (const [events, type] of [
      [asset, 'asset.created'],
      [transcription, 'transcription.created'],
      [analysis, 'analysis_result.created'],
    ] as const) {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type, job_id: job.id, job_type: 'audio' });
      expect(events[0].data).toMatchObject({ job_id: job.id, id: expect.any(String) });
    }
    expect(asset[0].data.metadata).toEqual({ w: 1 });
    expect(transcription[0].data.text_content).toBe('hello');

    // Children go with their job without events of their own.
    const deleted = await written(() => t.http.delete(`/api/jobs/${job.id}`).expect(204));
    expect(deleted.map((event) => event.type)).toEqual(['job.deleted']);
  });

  it('writes nothing for a refused transition, an unknown job or a child of an unknown job', async () => {
    const job = await createJob(t);
    const events = await written(async () => {
      await post(`/api/jobs/${job.id}/complete`).expect(409);
      await post(`/api/jobs/${job.id}/retry`).expect(409);
      await post(`/api/jobs/${job.id}/heartbeat`).expect(409);
      await post(`/api/jobs/00000000-0000-4000-8000-000000000000/start`).expect(404);
      await post(`/api/jobs/00000000-0000-4000-8000-000000000000/assets`, {
        asset_type: 'frame',
        file_path: 'f',
      }).expect(404);
      await post(`/api/jobs/${job.id}/start`).expect(200);
      await post(`/api/jobs/${job.id}/complete`, { worker_id: 'someone-else' }).expect(409);
    });
    expect(events.map((event) => event.type)).toEqual(['job.started']);
  });

  it('writes one job.created for an Idempotency-Key and none for its repeats, also concurrent ones', async () => {
    const body = { media_url: 'https://cdn.example.com/idem.mp4' };
    const events = await written(async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => t.http.post('/api/media/video').set('Idempotency-Key', 'events-1').send(body)),
      );
      expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
      await t.http.post('/api/media/video').set('Idempotency-Key', 'events-1').send(body).expect(200);
    });
    expect(events.map((event) => event.type)).toEqual(['job.created']);
  });

  it('writes the event in the transaction of the change: committed together or not at all', async () => {
    const client = await t.db.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `INSERT INTO jobs (job_type, media_url) VALUES ('video', 'https://x') RETURNING id, pg_current_xact_id()::text AS xid`,
      );
      const { rows: mine } = await client.query(`SELECT tx_id, type FROM job_events WHERE job_id = $1`, [rows[0].id]);
      expect(mine).toEqual([{ tx_id: Number(rows[0].xid), type: 'job.created' }]);
      // Not visible to anyone else before commit.
      expect((await t.db.query(`SELECT 1 FROM job_events WHERE job_id = $1`, [rows[0].id])).rows).toEqual([]);
      await client.query('ROLLBACK');
      expect((await t.db.query(`SELECT 1 FROM job_events WHERE job_id = $1`, [rows[0].id])).rows).toEqual([]);
    } finally {
      client.release();
    }

    // A statement that fails (here a CHECK) writes no event either.
    const [id] = await insertJobs(t.db, [{}]);
    const events = await written(async () => {
      await expect(
        t.db.query(`UPDATE jobs SET status = 'completed', progress = 101 WHERE id = $1`, [id]),
      ).rejects.toMatchObject({ code: '23514' });
    });
    expect(events).toEqual([]);
  });

  it('writes events for plain SQL, one per row of a multi-row statement, and none for other updates', async () => {
    const ids = await insertJobs(t.db, [{ status: 'processing' }, { status: 'processing' }, { status: 'processing' }]);
    const completed = await written(() =>
      t.db.query(`UPDATE jobs SET status = 'completed', completed_at = now() WHERE id = ANY($1)`, [ids]),
    );
    expect(completed.map((event) => [event.type, event.job_id]).sort()).toEqual(
      ids.map((id) => ['job.completed', id]).sort(),
    );
    // One statement, one transaction: every event carries the same tx_id.
    expect(new Set(completed.map((event) => event.tx_id)).size).toBe(1);

    expect(await written(() => t.db.query(`UPDATE jobs SET prompt = 'edited' WHERE id = ANY($1)`, [ids]))).toEqual([]);
    // completed → pending is no transition of the contract: no event.
    expect(await written(() => t.db.query(`UPDATE jobs SET status = 'pending' WHERE id = $1`, [ids[0]]))).toEqual([]);
  });

  it('writes job.progress only when progress or progress_message changes', async () => {
    const [id] = await insertJobs(t.db, [{ status: 'processing', lease_expires_at: '2999-01-01T00:00:00Z' }]);
    const update = (set: string) => written(() => t.db.query(`UPDATE jobs SET ${set} WHERE id = $1`, [id]));
    const progress = await update(`progress = 10`);
    expect(progress.map((event) => event.type)).toEqual(['job.progress']);
    expect(progress[0].data).toMatchObject({ progress: 10, progress_message: null });
    expect(await update(`progress = 10`)).toEqual([]);
    expect((await update(`progress_message = 'decoding'`)).map((event) => event.type)).toEqual(['job.progress']);
    expect(await update(`progress = 10, progress_message = 'decoding', lease_expires_at = now()`)).toEqual([]);
    // A status change that also clears progress is that transition, not a progress event.
    expect((await update(`status = 'completed', progress = NULL`)).map((event) => event.type)).toEqual([
      'job.completed',
    ]);
  });

  it("writes the lease sweeper's job.requeued and job.failed", async () => {
    const expired = {
      status: 'processing',
      started_at: '2025-01-01T00:00:00Z',
      lease_expires_at: '2025-01-01T00:05:00Z',
      worker_id: 'gone',
    };
    const [requeued] = await insertJobs(t.db, [{ ...expired, attempts: 1 }]);
    const [failed] = await insertJobs(t.db, [{ ...expired, attempts: 3, max_attempts: 3 }]);
    const events = await written(() => t.app.get(LeaseSweeperService).sweep());
    const byJob = new Map(events.map((event) => [event.job_id, event]));
    expect(events).toHaveLength(2);
    expect(byJob.get(requeued)).toMatchObject({ type: 'job.requeued', data: { status: 'pending', worker_id: null } });
    expect(byJob.get(failed)).toMatchObject({
      type: 'job.failed',
      data: { status: 'failed', error: expect.stringMatching(/lease expired/) },
    });
  });

  it('gives exactly one job.started per job under concurrent claims', async () => {
    await t.db.query(`DELETE FROM jobs`);
    const ids = await insertJobs(
      t.db,
      Array.from({ length: 20 }, () => ({})),
    );
    const events = await written(() =>
      Promise.all(Array.from({ length: 30 }, (_, i) => post('/api/jobs/claim', { worker_id: `w${i}` }))),
    );
    const started = events.filter((event) => event.type === 'job.started');
    expect(started).toHaveLength(20);
    expect(new Set(started.map((event) => event.job_id))).toEqual(new Set(ids));
  });

  it('refuses an event type outside the contract and a progress outside 0..100', async () => {
    const [id] = await insertJobs(t.db, [{}]);
    await expect(
      t.db.query(`INSERT INTO job_events (type, job_id, job_type) VALUES ('job.exploded', $1, 'video')`, [id]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(t.db.query(`UPDATE jobs SET progress = -1 WHERE id = $1`, [id])).rejects.toMatchObject({
      code: '23514',
    });
    await expect(
      t.db.query(`UPDATE jobs SET progress_message = repeat('x', 501) WHERE id = $1`, [id]),
    ).rejects.toMatchObject({ code: '22001' });
  });
});
