import type { TestApp } from '../utils/test-app';
import { createJob, expectError, ISO_MS, jobRow, sleep, startApi, UNKNOWN_ID, type Json } from '../utils/fixtures';

type State = 'pending' | 'processing' | 'completed' | 'failed';
type Action = 'start' | 'complete' | 'fail' | 'retry' | 'heartbeat';

const BODIES: Record<Action, Json> = {
  start: {},
  complete: { result: { ok: true } },
  fail: { error: 'boom' },
  retry: {},
  heartbeat: {},
};

/** Legal moves (API.md); a job started with /start has no lease, so heartbeat is never legal here. */
const LEGAL: Record<State, Action[]> = {
  pending: ['start', 'fail'],
  processing: ['complete', 'fail'],
  completed: [],
  failed: ['retry'],
};

describe('job lifecycle: start, complete, fail, retry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());

  async function act(id: string, action: Action, body: Json = BODIES[action]) {
    return t.http.post(`/api/jobs/${id}/${action}`).send(body);
  }

  async function jobIn(state: State): Promise<Json> {
    const job = await createJob(t);
    if (state === 'processing' || state === 'completed') expect((await act(job.id, 'start')).status).toBe(200);
    if (state === 'completed') expect((await act(job.id, 'complete')).status).toBe(200);
    if (state === 'failed') expect((await act(job.id, 'fail')).status).toBe(200);
    return (await t.http.get(`/api/jobs/${job.id}`)).body;
  }

  /** completed_at − started_at in ms, computed from the stored microsecond values. */
  async function dbElapsedMs(id: string): Promise<number> {
    const { rows } = await t.db.query(
      `SELECT round(extract(epoch FROM completed_at - started_at) * 1000)::int AS ms FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0].ms;
  }

  it('start: pending → processing with started_at, no lease, no attempt', async () => {
    const job = await createJob(t);
    const res = await act(job.id, 'start');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...job,
      status: 'processing',
      started_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
      attempts: 0,
      worker_id: null,
      lease_expires_at: null,
    });
    expect(Date.parse(res.body.started_at)).toBeGreaterThanOrEqual(Date.parse(job.created_at));
    expect((await jobRow(t.db, job.id))?.status).toBe('processing');
  });

  it('start accepts an empty {} body and no body', async () => {
    expect((await act((await createJob(t)).id, 'start', {})).status).toBe(200);
    expect((await t.http.post(`/api/jobs/${(await createJob(t)).id}/start`)).status).toBe(200);
  });

  it('complete: processing → completed with result, completed_at and processing_time_ms computed by the database', async () => {
    const job = await jobIn('processing');
    await sleep(60);
    const res = await act(job.id, 'complete', { result: { scenes: [{ label: 'intro' }], n: 3 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      result: { scenes: [{ label: 'intro' }], n: 3 },
      error: null,
      started_at: job.started_at,
    });
    expect(res.body.completed_at).toMatch(ISO_MS);
    expect(res.body.processing_time_ms).toBe(await dbElapsedMs(job.id));
    expect(res.body.processing_time_ms).toBeGreaterThanOrEqual(60);
    expect(
      Math.abs(res.body.processing_time_ms - (Date.parse(res.body.completed_at) - Date.parse(res.body.started_at))),
    ).toBeLessThanOrEqual(1);
  });

  it('completes and fails jobs that ran longer than processing_time_ms can count (capped, not an error)', async () => {
    const [done, failed] = [await jobIn('processing'), await jobIn('processing')];
    await t.db.query(`UPDATE jobs SET started_at = now() - interval '40 days' WHERE id = ANY($1)`, [
      [done.id, failed.id],
    ]);
    const completed = await act(done.id, 'complete');
    expect(completed.status).toBe(200);
    expect(completed.body.processing_time_ms).toBe(2_147_483_647);
    const res = await act(failed.id, 'fail');
    expect(res.status).toBe(200);
    expect(res.body.processing_time_ms).toBe(2_147_483_647);
  });

  it('complete without a result stores a null result', async () => {
    const job = await jobIn('processing');
    const res = await t.http.post(`/api/jobs/${job.id}/complete`);
    expect(res.status).toBe(200);
    expect(res.body.result).toBeNull();
    expect((await jobRow(t.db, job.id))?.result).toBeNull();
  });

  it('fail from pending: failed with error and completed_at, no processing_time_ms', async () => {
    const job = await createJob(t);
    const res = await act(job.id, 'fail', { error: 'source not found' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      error: 'source not found',
      started_at: null,
      processing_time_ms: null,
    });
    expect(res.body.completed_at).toMatch(ISO_MS);
  });

  it('fail from processing also sets processing_time_ms', async () => {
    const job = await jobIn('processing');
    await sleep(30);
    const res = await act(job.id, 'fail', { error: 'decoder crashed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: 'decoder crashed', started_at: job.started_at });
    expect(res.body.processing_time_ms).toBe(await dbElapsedMs(job.id));
    expect(res.body.processing_time_ms).toBeGreaterThanOrEqual(30);
  });

  it('retry: failed → pending, clearing the outcome and the attempt count', async () => {
    const job = await createJob(t, 'document');
    const claimed = await t.http.post('/api/jobs/claim').send({ worker_id: 'w-retry', job_types: ['document'] });
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(job.id);
    expect((await act(job.id, 'complete', { result: { partial: true } })).status).toBe(200);
    // A completed job cannot be retried; make a failed one with result and timings set.
    await t.db.query(`UPDATE jobs SET status = 'failed', error = 'late failure' WHERE id = $1`, [job.id]);
    const res = await act(job.id, 'retry');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...job,
      updated_at: expect.stringMatching(ISO_MS),
      status: 'pending',
      error: null,
      result: null,
      started_at: null,
      completed_at: null,
      processing_time_ms: null,
      attempts: 0,
      worker_id: null,
      lease_expires_at: null,
    });
    expect(await jobRow(t.db, job.id)).toMatchObject({
      status: 'pending',
      error: null,
      result: null,
      attempts: 0,
      started_at: null,
    });
  });

  it('moves updated_at on every change', async () => {
    const job = await createJob(t);
    const stamps = [job.updated_at];
    for (const action of ['start', 'fail', 'retry', 'start', 'complete'] as Action[]) {
      await sleep(5);
      const res = await act(job.id, action);
      expect(res.status).toBe(200);
      stamps.push(res.body.updated_at);
    }
    for (let i = 1; i < stamps.length; i++) expect(Date.parse(stamps[i])).toBeGreaterThan(Date.parse(stamps[i - 1]));
    expect((await t.http.get(`/api/jobs/${job.id}`)).body.updated_at).toBe(stamps[stamps.length - 1]);
  });

  const ILLEGAL = (Object.keys(LEGAL) as State[]).flatMap((state) =>
    (Object.keys(BODIES) as Action[])
      .filter((action) => !LEGAL[state].includes(action))
      .map((action) => [state, action] as const),
  );

  it.each(ILLEGAL)('a %s job answers 409 to %s and changes nothing', async (state, action) => {
    const job = await jobIn(state);
    const before = await jobRow(t.db, job.id);
    await sleep(2);
    const res = await act(job.id, action);
    expectError(res, 409, job.id);
    expect(res.body.error).toBe('Conflict');
    expect(await jobRow(t.db, job.id)).toEqual(before);
  });

  it.each(['start', 'complete', 'fail', 'retry', 'heartbeat'] as Action[])(
    '%s of an unknown job answers 404',
    async (action) => {
      expectError(await act(UNKNOWN_ID, action), 404, UNKNOWN_ID);
    },
  );

  it('lets exactly one of many concurrent starts win', async () => {
    const job = await createJob(t);
    const answers = await Promise.all(Array.from({ length: 12 }, () => act(job.id, 'start')));
    expect(answers.map((res) => res.status).sort()).toEqual([200, ...Array(11).fill(409)]);
  });

  it('lets exactly one of concurrent complete and fail win', async () => {
    const job = await jobIn('processing');
    const answers = await Promise.all([
      act(job.id, 'complete'),
      act(job.id, 'fail'),
      act(job.id, 'complete'),
      act(job.id, 'fail'),
    ]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = answers.find((res) => res.status === 200)!;
    expect((await t.http.get(`/api/jobs/${job.id}`)).body.status).toBe(winner.body.status);
  });
});
