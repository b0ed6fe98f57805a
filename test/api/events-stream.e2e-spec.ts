import type { TestApp } from '../utils/test-app';
import { createJob, eventually, expectError, insertJobs, sleep, startApi, type Json } from '../utils/fixtures';
import { baseUrl, follow, openSse, parsed, type SseStream } from '../utils/sse-client';

// Event delivery waits for the server-wide xmin horizon, which a long transaction of another
// test or benchmark on the same PostgreSQL may hold back: slow then, never wrong.
jest.setTimeout(180_000);

const jobIdsOf = (stream: SseStream) => parsed(stream).map((event) => event.job_id);

/** GET /api/events/stream: Server-Sent Events from the table, then live. */
describe('GET /api/events/stream', () => {
  let t: TestApp;
  const streams: SseStream[] = [];
  const open = async (query = '', headers: Record<string, string> = {}) => {
    const stream = await follow(t, query, headers);
    streams.push(stream);
    return stream;
  };
  /**
   * Waits until a job's job.created is readable (below the horizon, which a transaction of
   * another test on the server may hold back): a stream opened afterwards counts it as old.
   */
  const readable = (jobId: string) =>
    eventually(
      () => t.http.get('/api/events').query({ job_id: jobId }),
      (res) => res.body.items.length >= 1,
    );
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000', EVENTS_KEEP_ALIVE_MS: '300' } });
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(() => t?.close());

  it('sends id, event and data lines; without Last-Event-ID or after it starts with new events', async () => {
    const earlier = await createJob(t, 'video');
    await readable(earlier.id);
    const stream = await open();
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toContain('no-cache');
    expect(stream.headers['x-request-id']).toBeDefined();
    const job = await createJob(t, 'audio');
    await t.http.post(`/api/jobs/${job.id}/start`).expect(200);
    await stream.waitFor((s) => s.events.length >= 2);
    await sleep(200);
    expect(jobIdsOf(stream)).not.toContain(earlier.id);
    expect(stream.events.map((event) => event.event)).toEqual(['job.created', 'job.started']);
    const events = parsed(stream);
    expect(stream.events.map((event) => event.id)).toEqual(events.map((event) => String(event.id)));
    const listed = (await t.http.get('/api/events').query({ job_id: job.id }).expect(200)).body.items;
    expect(events).toEqual(listed);
  });

  it('resumes after Last-Event-ID (which wins over after) with the stored events, then live ones: no gap, no repeat', async () => {
    const job = await createJob(t, 'document');
    await t.http.post(`/api/jobs/${job.id}/start`).expect(200);
    await t.http.post(`/api/jobs/${job.id}/fail`).send({ error: 'x' }).expect(200);
    const stored = (
      await eventually(
        () => t.http.get('/api/events').query({ job_id: job.id }),
        (res) => res.body.items.length === 3,
      )
    ).body.items as Json[];
    const byHeader = await open(`?after=${stored[2].id}&job_id=${job.id}`, { 'Last-Event-ID': String(stored[0].id) });
    const byQuery = await open(`?after=${stored[1].id}&job_id=${job.id}`);
    await t.http.post(`/api/jobs/${job.id}/retry`).expect(200);
    await byHeader.waitFor((s) => s.events.length >= 3);
    await byQuery.waitFor((s) => s.events.length >= 2);
    await sleep(200);
    expect(byHeader.events.map((event) => event.event)).toEqual(['job.started', 'job.failed', 'job.retried']);
    expect(parsed(byHeader).slice(0, 2)).toEqual(stored.slice(1));
    expect(byQuery.events.map((event) => event.event)).toEqual(['job.failed', 'job.retried']);
  });

  it('filters live events by job_id, job_type and type, in memory', async () => {
    const a = await createJob(t, 'video');
    await readable(a.id);
    const byJob = await open(`?job_id=${a.id}`);
    const byType = await open(`?type=job.completed,job.deleted&job_type=video`);
    const other = await createJob(t, 'audio');
    await t.http.post(`/api/jobs/${a.id}/start`).expect(200);
    await t.http.post(`/api/jobs/${a.id}/complete`).expect(200);
    await t.http.delete(`/api/jobs/${other.id}`).expect(204);
    await t.http.delete(`/api/jobs/${a.id}`).expect(204);
    await byJob.waitFor((s) => s.events.length >= 3);
    await byType.waitFor((s) => s.events.length >= 2);
    await sleep(200);
    expect(byJob.events.map((event) => event.event)).toEqual(['job.started', 'job.completed', 'job.deleted']);
    expect(parsed(byType).map((event) => [event.type, event.job_id])).toEqual([
      ['job.completed', a.id],
      ['job.deleted', a.id],
    ]);
  });

  it('sends a keep-alive comment every EVENTS_KEEP_ALIVE_MS', async () => {
    const stream = await open();
    await stream.waitFor((s) => s.comments.filter((comment) => comment === 'keep-alive').length >= 2, 3000);
    expect(stream.events).toEqual([]);
  });

  it('answers 400 naming the field for a bad Last-Event-ID, after or type, before any stream starts', async () => {
    const bad = async (query: string, headers: Record<string, string>, field: string) => {
      const res = await t.http.get(`/api/events/stream${query}`).set(headers);
      expectError(res, 400, field);
    };
    await bad('', { 'Last-Event-ID': 'abc' }, 'Last-Event-ID');
    await bad('', { 'Last-Event-ID': '99999999' }, 'Last-Event-ID: event 99999999 does not exist');
    await bad('?after=1.5', {}, 'after');
    await bad('?type=job.created,nope', {}, 'type');
    await bad('?limit=5', {}, 'limit');
  });

  it('delivers events held back by an unrelated open transaction once it ends, which sends no notification', async () => {
    const stream = await open();
    const unrelated = await t.db.connect();
    try {
      await unrelated.query('BEGIN');
      await unrelated.query('SELECT pg_current_xact_id()'); // holds the horizon, writes no event
      const job = await createJob(t, 'video'); // commits and notifies while held back
      await sleep(300);
      expect(jobIdsOf(stream)).not.toContain(job.id);
      await unrelated.query('COMMIT');
      await stream.waitFor((s) => jobIdsOf(s).includes(job.id));
    } finally {
      unrelated.release();
    }
  });

  it('notifies every instance after a write has committed, never from inside the writing transaction', async () => {
    const { rows } = await t.db.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'job_events'::regclass AND tgname = 'trg_job_events_notify'`,
    );
    expect(rows).toEqual([]);
    const listener = await t.db.connect();
    try {
      const notified = new Promise<string>((resolve) => listener.once('notification', (msg) => resolve(msg.channel)));
      await listener.query('LISTEN job_events');
      const stream = await open();
      const job = await createJob(t, 'video');
      expect(await notified).toBe('job_events');
      await stream.waitFor((s) => jobIdsOf(s).includes(job.id));
      await listener.query('UNLISTEN job_events');
    } finally {
      listener.release();
    }
  });

  it('reconnects its LISTEN connection when it drops and catches up what committed meanwhile', async () => {
    const stream = await open();
    const terminated = await t.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'media-analysis-api:events' AND datname = current_database()`,
    );
    expect(terminated.rowCount).toBe(1);
    const [id] = await insertJobs(t.db, [{ job_type: 'document' }]);
    await stream.waitFor((s) => jobIdsOf(s).includes(id));
    const listeners = await eventually(
      () =>
        t.db.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'media-analysis-api:events' AND datname = current_database()`,
        ),
      (result) => result.rowCount === 1,
    );
    expect(listeners.rowCount).toBe(1);
    const job = await createJob(t, 'audio');
    await stream.waitFor((s) => jobIdsOf(s).includes(job.id));
    expect(new Set(stream.events.map((event) => event.id)).size).toBe(stream.events.length);
  });
});

describe('GET /api/events/stream with API keys, and at shutdown', () => {
  const KEY = 'stream-key-0123456789abcdef0123456789abcdef';
  it('needs a key like every /api route, and ends open streams with a last comment on shutdown', async () => {
    const t = await startApi({ env: { API_KEYS: KEY, SHUTDOWN_GRACE_MS: '5000' } });
    try {
      const refused = await openSse(`${baseUrl(t)}/api/events/stream`);
      expect(refused.status).toBe(401);
      const stream = await follow(t, '', { 'X-API-Key': KEY });
      const bearer = await follow(t, '', { Authorization: `Bearer ${KEY}` });
      const started = Date.now();
      await t.close();
      expect(Date.now() - started).toBeLessThan(5000);
      await Promise.all([stream.ended, bearer.ended]);
      expect(stream.comments[stream.comments.length - 1]).toMatch(/shutting down; reconnect with Last-Event-ID/);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
