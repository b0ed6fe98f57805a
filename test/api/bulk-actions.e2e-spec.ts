import type { TestApp } from '../utils/test-app';
import { addTranscription, createJob, expectError, snapshot, startApi, type Json } from '../utils/fixtures';

const RETRY_CLEARED = {
  status: 'pending',
  error: null,
  result: null,
  started_at: null,
  completed_at: null,
  processing_time_ms: null,
  attempts: 0,
  worker_id: null,
  lease_expires_at: null,
};

/** `count` failed jobs of one type with an error text, inserted directly. */
async function insertFailed(t: TestApp, count: number, jobType = 'video', error = 'ffmpeg exited with code 1') {
  await t.db.query(
    `INSERT INTO jobs (job_type, status, media_url, error, result, started_at, completed_at, processing_time_ms,
                       attempts, worker_id)
     SELECT $1, 'failed', 'https://cdn.example.com/f.mp4', $2, '{"partial": true}', now() - interval '2 s', now(),
            2000, 3, 'worker-x'
     FROM generate_series(1, $3)`,
    [jobType, error, count],
  );
}

async function countWhere(t: TestApp, condition: string): Promise<number> {
  const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM jobs WHERE ${condition}`);
  return rows[0].n;
}

describe('POST /api/jobs/bulk-retry and /api/jobs/bulk-delete', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApi()));
  afterAll(async () => t?.close());
  beforeEach(async () => t.db.query('DELETE FROM jobs'));

  describe('validation', () => {
    it.each([
      ['bulk-retry', { job_type: 'film' }, 'job_type'],
      ['bulk-retry', { created_after: 'yesterday' }, 'created_after'],
      ['bulk-retry', { created_before: 12 }, 'created_before'],
      ['bulk-retry', { error_contains: '' }, 'error_contains'],
      ['bulk-retry', { error_contains: 'x'.repeat(501) }, 'error_contains'],
      ['bulk-retry', { dry_run: 'yes' }, 'dry_run'],
      ['bulk-retry', { status: 'failed' }, 'status should not exist'],
      ['bulk-delete', {}, 'status'],
      ['bulk-delete', { status: 'done' }, 'status'],
      ['bulk-delete', { status: 'failed', error_contains: 'x' }, 'error_contains should not exist'],
      ['bulk-delete', { status: 'failed', job_type: 'film' }, 'job_type'],
    ])('%s %j is a 400 naming the field, and changes nothing', async (action, body, field) => {
      await insertFailed(t, 3);
      const before = await snapshot(t.db);
      expectError(await t.http.post(`/api/jobs/${action}`).send(body), 400, field);
      expect(await snapshot(t.db)).toEqual(before);
    });

    it('rejects a body that is not an object', async () => {
      expectError(await t.http.post('/api/jobs/bulk-retry').set('content-type', 'application/json').send('[1]'), 400);
    });
  });

  describe('bulk retry', () => {
    it('sets every matching failed job exactly as a single retry does', async () => {
      await insertFailed(t, 2);
      const single = await createJob(t, 'video');
      await t.http.post(`/api/jobs/${single.id}/fail`).send({ error: 'boom' }).expect(200);
      const retried = await t.http.post(`/api/jobs/${single.id}/retry`).expect(200);
      await t.http.post(`/api/jobs/${single.id}/fail`).send({ error: 'boom again' }).expect(200);

      const res = await t.http.post('/api/jobs/bulk-retry').send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ matched: 3, changed: 3 });
      const page = await t.http.get('/api/jobs').query({ limit: 100 });
      for (const job of page.body.items as Json[]) expect(job).toMatchObject(RETRY_CLEARED);
      expect(retried.body).toMatchObject(RETRY_CLEARED);
    });

    it('leaves jobs that are not failed alone and applies every filter', async () => {
      await insertFailed(t, 4, 'video', 'FFmpeg exited with code 1');
      await insertFailed(t, 3, 'audio', 'ffmpeg exited with code 1');
      await insertFailed(t, 2, 'audio', 'timeout talking to the provider');
      const pending = await createJob(t, 'audio');
      const started = await createJob(t, 'audio');
      await t.http.post(`/api/jobs/${started.id}/start`).expect(200);

      expect(
        (await t.http.post('/api/jobs/bulk-retry').send({ job_type: 'audio', error_contains: 'FFMPEG' })).body,
      ).toEqual({ matched: 3, changed: 3 });
      expect(await countWhere(t, `status = 'failed'`)).toBe(6);
      expect(await countWhere(t, `status = 'failed' AND job_type = 'audio'`)).toBe(2);
      expect((await t.http.get(`/api/jobs/${pending.id}`)).body.status).toBe('pending');
      expect((await t.http.get(`/api/jobs/${started.id}`)).body.status).toBe('processing');

      // created bounds are exclusive, like the lists'
      await t.db.query(
        `UPDATE jobs SET created_at = '2026-01-01T00:00:00Z' WHERE status = 'failed' AND job_type = 'video'`,
      );
      const bounds = { created_after: '2026-01-01T00:00:00.000Z', created_before: '2026-01-02' };
      expect((await t.http.post('/api/jobs/bulk-retry').send(bounds)).body).toEqual({ matched: 0, changed: 0 });
      const inside = { created_after: '2025-12-31T23:59:59.999Z', created_before: '2026-01-01T00:00:00.001Z' };
      expect((await t.http.post('/api/jobs/bulk-retry').send(inside)).body).toEqual({ matched: 4, changed: 4 });
      expect(await countWhere(t, `status = 'failed'`)).toBe(2);
    });

    it('dry_run counts and changes nothing', async () => {
      await insertFailed(t, 5, 'document');
      const before = await snapshot(t.db);
      const res = await t.http.post('/api/jobs/bulk-retry').send({ job_type: 'document', dry_run: true });
      expect(res.body).toEqual({ matched: 5, changed: 0 });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it('works through more than one chunk of 1,000', async () => {
      await insertFailed(t, 2345);
      expect((await t.http.post('/api/jobs/bulk-retry').send({})).body).toEqual({ matched: 2345, changed: 2345 });
      expect(await countWhere(t, `status = 'pending' AND attempts = 0 AND error IS NULL`)).toBe(2345);
    });

    it('skips a job another transaction holds, without waiting for it', async () => {
      await insertFailed(t, 10);
      const held = await t.db.connect();
      try {
        await held.query('BEGIN');
        const { rows } = await held.query(`SELECT id FROM jobs ORDER BY created_at, id LIMIT 1 FOR UPDATE`);
        const res = await t.http.post('/api/jobs/bulk-retry').send({});
        expect(res.body).toEqual({ matched: 10, changed: 9 });
        expect(await countWhere(t, `status = 'failed' AND id = '${rows[0].id}'`)).toBe(1);
      } finally {
        await held.query('ROLLBACK');
        held.release();
      }
      expect((await t.http.post('/api/jobs/bulk-retry').send({})).body).toEqual({ matched: 1, changed: 1 });
    });
  });

  describe('bulk delete', () => {
    it('deletes the matching jobs of one status with their children, and nothing else', async () => {
      await insertFailed(t, 3, 'video');
      await insertFailed(t, 2, 'audio');
      const keep = await createJob(t, 'video');
      const { rows } = await t.db.query(`SELECT id FROM jobs WHERE status = 'failed' AND job_type = 'video' LIMIT 1`);
      await addTranscription(t, rows[0].id);

      const dry = await t.http
        .post('/api/jobs/bulk-delete')
        .send({ status: 'failed', job_type: 'video', dry_run: true });
      expect(dry.body).toEqual({ matched: 3, changed: 0 });
      expect(await countWhere(t, 'true')).toBe(6);

      const res = await t.http.post('/api/jobs/bulk-delete').send({ status: 'failed', job_type: 'video' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ matched: 3, changed: 3 });
      expect(await countWhere(t, `job_type = 'video' AND status = 'failed'`)).toBe(0);
      expect(await countWhere(t, `job_type = 'audio' AND status = 'failed'`)).toBe(2);
      expect((await t.http.get(`/api/jobs/${keep.id}`)).status).toBe(200);
      const children = await t.db.query(`SELECT count(*)::int AS n FROM transcriptions`);
      expect(children.rows[0].n).toBe(0);
    });

    it('deletes pending jobs in chunks', async () => {
      await t.db.query(
        `INSERT INTO jobs (job_type, media_url) SELECT 'audio', 'https://cdn.example.com/p.mp3' FROM generate_series(1, 1500)`,
      );
      expect((await t.http.post('/api/jobs/bulk-delete').send({ status: 'pending' })).body).toEqual({
        matched: 1500,
        changed: 1500,
      });
      expect(await countWhere(t, 'true')).toBe(0);
    });
  });
});
