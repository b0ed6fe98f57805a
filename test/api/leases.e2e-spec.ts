import { LeaseSweeperService } from '../../src/jobs/lease-sweeper.service';
import type { TestApp } from '../utils/test-app';
import { createJob, expectError, ISO_MS, jobRow, startApi, type Json } from '../utils/fixtures';

/** Worker leases (API.md "Worker leases"); the background sweeper is parked so each test sweeps itself. */
describe('worker leases', () => {
  let t: TestApp;
  let sweeper: LeaseSweeperService;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    sweeper = t.app.get(LeaseSweeperService);
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await t.db.query('DELETE FROM jobs');
  });

  const post = (id: string, action: string, body: object = {}) => t.http.post(`/api/jobs/${id}/${action}`).send(body);

  async function claimed(worker = 'w1', create: Json = {}, leaseSeconds = 60): Promise<Json> {
    const job = await createJob(t, 'video', create);
    const res = await t.http.post('/api/jobs/claim').send({ worker_id: worker, lease_seconds: leaseSeconds });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(job.id);
    return res.body;
  }

  /** Seconds from now until the job's lease runs out, by the database clock. */
  async function leaseLeft(id: string): Promise<number> {
    const { rows } = await t.db.query(
      `SELECT extract(epoch FROM lease_expires_at - now())::float AS s FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0].s;
  }

  const expireLease = (id: string) =>
    t.db.query(`UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);

  /** Asserts the request answers 409 and leaves the row exactly as it was. */
  async function expectConflict(id: string, action: string, body: object): Promise<void> {
    const before = await jobRow(t.db, id);
    expectError(await post(id, action, body), 409, id);
    expect(await jobRow(t.db, id)).toEqual(before);
  }

  describe('heartbeat', () => {
    it('extends the lease to now + lease_seconds (default 300)', async () => {
      const job = await claimed('w1', {}, 10);
      expect(await leaseLeft(job.id)).toBeLessThanOrEqual(10);
      const res = await post(job.id, 'heartbeat', { worker_id: 'w1', lease_seconds: 600 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: job.id,
        status: 'processing',
        worker_id: 'w1',
        attempts: 1,
        started_at: job.started_at,
      });
      expect(res.body.lease_expires_at).toMatch(ISO_MS);
      expect(Date.parse(res.body.lease_expires_at)).toBeGreaterThan(Date.parse(job.lease_expires_at));
      expect(await leaseLeft(job.id)).toBeGreaterThan(598);
      expect(await leaseLeft(job.id)).toBeLessThanOrEqual(600);
      const byDefault = await post(job.id, 'heartbeat', {});
      expect(byDefault.status).toBe(200);
      expect(await leaseLeft(job.id)).toBeGreaterThan(298);
      expect(await leaseLeft(job.id)).toBeLessThanOrEqual(300);
    });

    it('answers 409 for a job started with /start (no lease)', async () => {
      const job = await createJob(t);
      expect((await post(job.id, 'start')).status).toBe(200);
      await expectConflict(job.id, 'heartbeat', {});
      await expectConflict(job.id, 'heartbeat', { worker_id: 'w1' });
    });

    it('answers 409 for a job held by another worker', async () => {
      const job = await claimed('w1');
      await expectConflict(job.id, 'heartbeat', { worker_id: 'w2', lease_seconds: 600 });
    });

    it('answers 409 when the job is not processing', async () => {
      const done = await claimed('w1');
      expect((await post(done.id, 'complete', { worker_id: 'w1' })).status).toBe(200);
      await expectConflict(done.id, 'heartbeat', { worker_id: 'w1' });
      const pending = await createJob(t);
      await expectConflict(pending.id, 'heartbeat', {});
    });
  });

  describe('complete and fail with worker_id', () => {
    it('answer 409 and change nothing for another worker', async () => {
      const job = await claimed('w1');
      await expectConflict(job.id, 'complete', { worker_id: 'w2', result: { x: 1 } });
      await expectConflict(job.id, 'fail', { worker_id: 'w2', error: 'nope' });
    });

    it('answer 409 for a pending job or a job started without a worker', async () => {
      const pending = await createJob(t);
      await expectConflict(pending.id, 'fail', { worker_id: 'w1', error: 'x' });
      await expectConflict(pending.id, 'complete', { worker_id: 'w1' });
      const started = await createJob(t);
      expect((await post(started.id, 'start')).status).toBe(200);
      await expectConflict(started.id, 'complete', { worker_id: 'w1' });
    });

    it('succeed for the holding worker, and clear the lease', async () => {
      const job = await claimed('w1');
      const res = await post(job.id, 'complete', { worker_id: 'w1', result: { ok: 1 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        worker_id: 'w1',
        lease_expires_at: null,
        result: { ok: 1 },
      });
      const other = await claimed('w3');
      const failed = await post(other.id, 'fail', { worker_id: 'w3', error: 'bad input' });
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({ status: 'failed', error: 'bad input', lease_expires_at: null });
    });
  });

  describe('expiry', () => {
    it('returns an expired job to pending; the next claim is attempt 2 and the old worker gets 409', async () => {
      const job = await claimed('w1');
      await expireLease(job.id);
      await sweeper.sweep();
      const recovered = await t.http.get(`/api/jobs/${job.id}`);
      expect(recovered.body).toMatchObject({
        status: 'pending',
        attempts: 1,
        worker_id: null,
        started_at: null,
        lease_expires_at: null,
        error: null,
        completed_at: null,
      });

      const again = await t.http.post('/api/jobs/claim').send({ worker_id: 'w2' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: job.id, attempts: 2, worker_id: 'w2' });
      expect(Date.parse(again.body.started_at)).toBeGreaterThanOrEqual(Date.parse(job.started_at));

      await expectConflict(job.id, 'complete', { worker_id: 'w1', result: { stale: true } });
      await expectConflict(job.id, 'fail', { worker_id: 'w1', error: 'stale' });
      await expectConflict(job.id, 'heartbeat', { worker_id: 'w1' });
      expect((await post(job.id, 'complete', { worker_id: 'w2' })).status).toBe(200);
    });

    it('answers 409 to the old worker while the recovered job waits', async () => {
      const job = await claimed('w1');
      await expireLease(job.id);
      await sweeper.sweep();
      await expectConflict(job.id, 'complete', { worker_id: 'w1' });
      await expectConflict(job.id, 'heartbeat', { worker_id: 'w1' });
    });

    it('fails the job when the last attempt expires, saying the lease expired', async () => {
      const job = await claimed('w1', { max_attempts: 1 });
      await expireLease(job.id);
      await sweeper.sweep();
      const res = await t.http.get(`/api/jobs/${job.id}`);
      expect(res.body).toMatchObject({
        status: 'failed',
        attempts: 1,
        lease_expires_at: null,
        started_at: job.started_at,
      });
      expect(res.body.error).toMatch(/lease expired/i);
      expect(res.body.completed_at).toMatch(ISO_MS);
      const { rows } = await t.db.query(
        `SELECT round(extract(epoch FROM completed_at - started_at) * 1000)::int AS ms FROM jobs WHERE id = $1`,
        [job.id],
      );
      expect(res.body.processing_time_ms).toBe(rows[0].ms);
      expect((await t.http.post('/api/jobs/claim').send({})).status).toBe(204);
      await expectConflict(job.id, 'complete', { worker_id: 'w1' });
      // retry starts over with a fresh attempt count.
      const retried = await post(job.id, 'retry');
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'pending', attempts: 0, error: null, worker_id: null });
    });

    it('fails after max_attempts expiries in a row', async () => {
      const job = await createJob(t, 'video', { max_attempts: 2 });
      for (const [worker, attempt] of [
        ['a', 1],
        ['b', 2],
      ] as const) {
        const res = await t.http.post('/api/jobs/claim').send({ worker_id: worker });
        expect(res.body).toMatchObject({ id: job.id, attempts: attempt });
        await expireLease(job.id);
        await sweeper.sweep();
      }
      expect((await t.http.get(`/api/jobs/${job.id}`)).body).toMatchObject({ status: 'failed', attempts: 2 });
    });

    it('lets a worker whose lease ran out, but was not yet recovered, heartbeat and finish', async () => {
      const job = await claimed('w1');
      await expireLease(job.id);
      const beat = await post(job.id, 'heartbeat', { worker_id: 'w1', lease_seconds: 30 });
      expect(beat.status).toBe(200);
      expect(await leaseLeft(job.id)).toBeGreaterThan(28);
      await sweeper.sweep();
      expect((await jobRow(t.db, job.id))?.status).toBe('processing');
      await expireLease(job.id);
      expect((await post(job.id, 'complete', { worker_id: 'w1' })).status).toBe(200);
    });

    it('never expires a job started with /start, nor a job whose lease is still valid', async () => {
      const started = await createJob(t);
      expect((await post(started.id, 'start')).status).toBe(200);
      await t.db.query(`UPDATE jobs SET started_at = now() - interval '30 days' WHERE id = $1`, [started.id]);
      const leased = await claimed('w1', {}, 10);
      await sweeper.sweep();
      expect((await jobRow(t.db, started.id))?.status).toBe('processing');
      expect(await jobRow(t.db, leased.id)).toMatchObject({ status: 'processing', worker_id: 'w1' });
      expect((await t.http.post('/api/jobs/claim').send({})).status).toBe(204);
    });

    it('counts no attempt for /start', async () => {
      const job = await createJob(t);
      expect((await post(job.id, 'start')).body.attempts).toBe(0);
    });
  });
});
