import type { TestApp } from '../utils/test-app';
import { addAsset, createJob, eventually, expectError, ISO_MS, startApi, type Json } from '../utils/fixtures';

// Event delivery waits for the server-wide xmin horizon, which a long transaction of another
// test or benchmark on the same PostgreSQL may hold back: slow then, never wrong.
jest.setTimeout(180_000);

/** GET /api/events: the reading order, filters, resuming and paging, and bad input. */
describe('GET /api/events', () => {
  let t: TestApp;
  let video: Json;
  let audio: Json;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    video = await createJob(t, 'video');
    audio = await createJob(t, 'audio');
    await t.http.post(`/api/jobs/${video.id}/start`).expect(200);
    await addAsset(t, video.id);
    await t.http
      .post(`/api/jobs/${video.id}/complete`)
      .send({ result: { done: true } })
      .expect(200);
    await t.http.delete(`/api/jobs/${audio.id}`).expect(204);
    await eventually(list, (page) => page.items.length === 6);
  });
  afterAll(() => t?.close());

  async function list(query: Record<string, string | number> = {}) {
    const res = await t.http.get('/api/events').query(query);
    expect(res.status).toBe(200);
    return res.body as { items: Json[]; next_cursor: string | null };
  }
  it('lists every event oldest first, in the contract shape with ISO timestamps inside data', async () => {
    const { items, next_cursor } = await list();
    expect(next_cursor).toBeNull();
    expect(items.map((event) => [event.type, event.job_id])).toEqual([
      ['job.created', video.id],
      ['job.created', audio.id],
      ['job.started', video.id],
      ['asset.created', video.id],
      ['job.completed', video.id],
      ['job.deleted', audio.id],
    ]);
    for (const event of items) {
      expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'job_id', 'job_type', 'type']);
      expect(Number.isInteger(event.id) && event.id > 0).toBe(true);
      expect(event.created_at).toMatch(ISO_MS);
    }
    const completed = items[4].data;
    expect(completed).toMatchObject({ id: video.id, status: 'completed', result: { done: true } });
    for (const field of ['created_at', 'updated_at', 'started_at', 'completed_at']) {
      expect(completed[field]).toMatch(ISO_MS);
    }
    // Equal to the job's own answer, field by field (has_callback is the events' addition).
    const job = (await t.http.get(`/api/jobs/${video.id}`).expect(200)).body;
    for (const [field, value] of Object.entries(completed)) {
      if (field !== 'has_callback') expect([field, job[field]]).toEqual([field, value]);
    }
    expect(items[3].data.created_at).toMatch(ISO_MS);
    expect(items[5].data).toBeNull();
  });

  it('filters by job_id, job_type and a comma-separated type list', async () => {
    expect((await list({ job_id: audio.id })).items.map((e) => e.type)).toEqual(['job.created', 'job.deleted']);
    expect((await list({ job_type: 'audio' })).items.every((e) => e.job_type === 'audio')).toBe(true);
    expect((await list({ type: 'job.completed,job.deleted' })).items.map((e) => e.type)).toEqual([
      'job.completed',
      'job.deleted',
    ]);
    expect((await list({ job_id: video.id, type: 'asset.created' })).items).toHaveLength(1);
  });

  it('resumes after an event id (exclusive) and pages with a keyset cursor, nothing repeated or skipped', async () => {
    const all = (await list()).items;
    expect((await list({ after: all[1].id })).items.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(cursor ? { limit: 4, cursor } : { limit: 4, after: all[0].id });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.slice(1).map((e) => e.id));
    const last = all[all.length - 1].id;
    expect(await list({ after: last })).toEqual({ items: [], next_cursor: null });
  });

  it('holds back events of a transaction that committed after an older one still open, until it ends', async () => {
    const older = await t.db.connect();
    try {
      await older.query('BEGIN');
      await older.query(`SELECT pg_current_xact_id()`); // an open transaction with an xid, writing nothing
      const job = await createJob(t, 'document'); // committed, but its xid is above the horizon
      const has = (page: { items: Json[] }) => page.items.some((event) => event.job_id === job.id);
      expect(await t.db.query(`SELECT 1 FROM job_events WHERE job_id = $1`, [job.id])).toMatchObject({ rowCount: 1 });
      expect(has(await list({ limit: 1000 }))).toBe(false);
      await older.query('COMMIT');
      expect(has(await eventually(() => list({ limit: 1000 }), has))).toBe(true);
    } finally {
      older.release();
    }
  });

  it('answers 400 naming the field for bad input', async () => {
    const bad = async (query: Record<string, string>, field: string | RegExp) =>
      expectError(await t.http.get('/api/events').query(query), 400, field);
    await bad({ type: 'job.exploded' }, 'type');
    await bad({ type: 'job.created,' }, 'type');
    await bad({ after: 'abc' }, 'after');
    await bad({ after: '0' }, 'after');
    await bad({ after: '-5' }, 'after');
    await bad({ after: '999999999' }, /after: event 999999999 does not exist/);
    await bad({ limit: '0' }, 'limit');
    await bad({ limit: '1001' }, 'limit');
    await bad({ job_id: 'nope' }, 'job_id');
    await bad({ job_type: 'podcast' }, 'job_type');
    await bad({ cursor: 'garbage' }, 'cursor');
    await bad({ since: '1' }, 'since');
    expect((await list({ limit: 1000 })).items.length).toBeGreaterThan(0);
  });
});
