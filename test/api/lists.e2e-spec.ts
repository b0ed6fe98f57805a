import type { TestApp } from '../utils/test-app';
import { createJob, expectError, insertJobs, startApi, type Json } from '../utils/fixtures';
import { createTestDatabase, withAdminClient } from '../utils/test-database';

const ids = (items: Json[]) => items.map((item) => item.id);

/** Filters of GET /api/jobs and the branch lists, on jobs seeded with exact timestamps. */
describe('job lists: filters', () => {
  let t: TestApp;
  let seeded: string[];
  const at = (minute: number) => `2025-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

  beforeAll(async () => {
    t = await startApi();
    // Oldest first: minute i, type and status cycling.
    const types = ['video', 'audio', 'document'];
    const statuses = ['pending', 'processing', 'completed', 'failed'];
    seeded = await insertJobs(
      t.db,
      Array.from({ length: 12 }, (_, i) => ({ job_type: types[i % 3], status: statuses[i % 4], created_at: at(i) })),
    );
  });
  afterAll(() => t.close());

  const newestFirst = (pick: (i: number) => boolean) =>
    seeded
      .map((id, i) => ({ id, i }))
      .filter(({ i }) => pick(i))
      .map(({ id }) => id)
      .reverse();

  it('lists every job newest first with the default limit of 20', async () => {
    const more = [];
    for (let i = 0; i < 10; i++) more.push((await createJob(t)).id);
    const res = await t.http.get('/api/jobs');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.next_cursor).toEqual(expect.any(String));
    expect(ids(res.body.items)).toEqual([...more.reverse(), ...newestFirst(() => true).slice(0, 10)]);
    await t.db.query(`DELETE FROM jobs WHERE id = ANY($1)`, [more]);
  });

  it('answers exactly the documented fields of each job, without the cursor column the rows carry', async () => {
    const jobs = await t.http.get('/api/jobs').query({ limit: 1 });
    const job = await t.http.get(`/api/jobs/${jobs.body.items[0].id}`);
    const { assets: _a, transcriptions: _t, analysis_results: _r, ...plainJob } = job.body;
    expect(Object.keys(jobs.body.items[0]).sort()).toEqual(Object.keys(plainJob).sort());
    expect(jobs.body.items[0]).not.toHaveProperty('cursor_at');
    const branch = await t.http.get('/api/media/video').query({ limit: 1 });
    expect(branch.body.items[0]).not.toHaveProperty('cursor_at');
  });

  it('filters by job_type on /api/jobs', async () => {
    const res = await t.http.get('/api/jobs').query({ job_type: 'audio' });
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual(newestFirst((i) => i % 3 === 1));
    expect(res.body.next_cursor).toBeNull();
  });

  it('filters by status, alone and with job_type', async () => {
    const failed = await t.http.get('/api/jobs').query({ status: 'failed' });
    expect(failed.status).toBe(200);
    expect(ids(failed.body.items)).toEqual(newestFirst((i) => i % 4 === 3));
    const both = await t.http.get('/api/jobs').query({ status: 'pending', job_type: 'video' });
    expect(both.status).toBe(200);
    expect(ids(both.body.items)).toEqual(newestFirst((i) => i % 4 === 0 && i % 3 === 0));
  });

  it('treats created_after and created_before as exclusive bounds', async () => {
    const res = await t.http.get('/api/jobs').query({ created_after: at(3), created_before: at(8) });
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual(newestFirst((i) => i > 3 && i < 8));
    // Offsets and other ISO 8601 spellings of the same instants.
    const offset = await t.http
      .get('/api/jobs')
      .query({ created_after: '2025-06-01T12:03:00+02:00', created_before: '2025-06-01T10:08:00Z' });
    expect(offset.status).toBe(200);
    expect(ids(offset.body.items)).toEqual(newestFirst((i) => i > 3 && i < 8));
  });

  it('excludes a job when created_after is exactly the created_at it was answered with', async () => {
    // created_at is stored with microseconds but answered with milliseconds: the bound must
    // still exclude the job itself, as a client reading the answer expects.
    // Stored with microseconds, 100 ms apart, in a window no other job of this file uses.
    const stored = ['2024-03-03T03:03:03.100456Z', '2024-03-03T03:03:03.200456Z', '2024-03-03T03:03:03.300456Z'];
    const inserted = await insertJobs(
      t.db,
      stored.map((created_at) => ({ job_type: 'document', created_at })),
    );
    const [a, b, c] = await Promise.all(inserted.map(async (id) => (await t.http.get(`/api/jobs/${id}`)).body));
    expect([a.created_at, b.created_at, c.created_at]).toEqual([
      '2024-03-03T03:03:03.100Z',
      '2024-03-03T03:03:03.200Z',
      '2024-03-03T03:03:03.300Z',
    ]);
    try {
      const res = await t.http
        .get('/api/media/document')
        .query({ created_after: a.created_at, created_before: c.created_at, limit: 100 });
      expect(res.status).toBe(200);
      const found = ids(res.body.items);
      expect(found).toEqual([b.id]);
    } finally {
      await t.db.query(`DELETE FROM jobs WHERE id = ANY($1)`, [[a.id, b.id, c.id]]);
    }
  });

  it('compares the bounds with the millisecond created_at the answers show', async () => {
    const [id] = await insertJobs(t.db, [{ job_type: 'document', created_at: '2025-07-01T00:00:00.123456Z' }]);
    try {
      const listed = async (query: Record<string, string>) => {
        const res = await t.http.get('/api/media/document').query({ limit: 100, ...query });
        expect(res.status).toBe(200);
        return ids(res.body.items).includes(id);
      };
      expect((await t.http.get(`/api/jobs/${id}`)).body.created_at).toBe('2025-07-01T00:00:00.123Z');
      expect(await listed({ created_after: '2025-07-01T00:00:00.123Z' })).toBe(false);
      expect(await listed({ created_after: '2025-07-01T00:00:00.1225Z' })).toBe(true);
      expect(await listed({ created_after: '2025-07-01T00:00:00.122Z' })).toBe(true);
      expect(await listed({ created_before: '2025-07-01T00:00:00.123Z' })).toBe(false);
      expect(await listed({ created_before: '2025-07-01T00:00:00.1231Z' })).toBe(true);
      expect(await listed({ created_before: '2025-07-01T00:00:00.124Z' })).toBe(true);
    } finally {
      await t.db.query(`DELETE FROM jobs WHERE id = $1`, [id]);
    }
  });

  it('combines a branch list with status and time bounds', async () => {
    const bounded = await t.http.get('/api/media/audio').query({ created_after: at(1), created_before: at(10) });
    expect(bounded.status).toBe(200);
    expect(ids(bounded.body.items)).toEqual([seeded[7], seeded[4]]);
    const processing = await t.http.get('/api/media/audio').query({ status: 'processing' });
    expect(processing.status).toBe(200);
    expect(ids(processing.body.items)).toEqual([seeded[1]]);
  });

  it('accepts limit 1 and 100', async () => {
    const one = await t.http.get('/api/jobs').query({ limit: 1 });
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.next_cursor).toEqual(expect.any(String));
    const hundred = await t.http.get('/api/jobs').query({ limit: 100 });
    expect(hundred.status).toBe(200);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM jobs');
    expect(rows[0].n).toBeLessThan(100);
    expect(hundred.body.items).toHaveLength(rows[0].n);
    expect(hundred.body.next_cursor).toBeNull();
  });

  it.each([['0'], ['101'], ['-1'], ['1.5'], ['abc'], ['']])('answers 400 for limit=%p', async (limit) => {
    expectError(await t.http.get(`/api/jobs?limit=${limit}`), 400, 'limit');
    expectError(await t.http.get(`/api/media/audio?limit=${limit}`), 400, 'limit');
  });

  it.each([
    ['status=done', 'status'],
    ['job_type=image', 'job_type'],
    ['created_after=yesterday', 'created_after'],
    ['created_before=2025-13-01T00:00:00Z', 'created_before'],
    ['status=pending&status=failed', 'status'],
    ['limit=5&limit=6', 'limit'],
    ['unknown=1', 'unknown'],
    ['page=2', 'page'],
  ])('answers 400 for %s', async (query, field) => {
    expectError(await t.http.get(`/api/jobs?${query}`), 400, field);
  });

  it('answers 400 for an unknown query parameter on every list', async () => {
    const job = await createJob(t);
    for (const path of [
      '/api/media/video',
      `/api/jobs/${job.id}/assets`,
      `/api/jobs/${job.id}/transcriptions`,
      `/api/jobs/${job.id}/analysis-results`,
    ]) {
      expectError(await t.http.get(`${path}?sort=asc`), 400, 'sort');
    }
    await t.db.query(`DELETE FROM jobs WHERE id = $1`, [job.id]);
  });
});

/** Bounds without an offset are UTC, as every timestamp of the API is, whatever the database's TimeZone. */
describe('job lists: time bounds on a database whose TimeZone is not UTC', () => {
  let t: TestApp;
  beforeAll(async () => {
    const url = await createTestDatabase();
    await withAdminClient((client) =>
      client.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET timezone = 'America/New_York'`),
    );
    t = await startApi({ databaseUrl: url });
  });
  afterAll(() => t.close());

  it('reads created_after / created_before without an offset as UTC', async () => {
    const [early, late] = await insertJobs(t.db, [
      { created_at: '2025-06-01T09:00:00Z' },
      { created_at: '2025-06-01T11:00:00Z' },
    ]);
    const after = await t.http.get('/api/jobs').query({ created_after: '2025-06-01T10:00:00' });
    expect(after.status).toBe(200);
    expect(ids(after.body.items)).toEqual([late]);
    const before = await t.http.get('/api/jobs').query({ created_before: '2025-06-01 10:00' });
    expect(before.status).toBe(200);
    expect(ids(before.body.items)).toEqual([early]);
    const day = await t.http.get('/api/jobs').query({ created_after: '2025-06-01', created_before: '2025-06-02' });
    expect(ids(day.body.items)).toEqual([late, early]);
  });

  it('still answers every timestamp in UTC', async () => {
    const job = await createJob(t);
    await t.db.query(`INSERT INTO media_assets (job_id, asset_type, file_path) VALUES ($1, 'frame', 'f')`, [job.id]);
    const detail = await t.http.get(`/api/jobs/${job.id}`);
    expect(detail.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(detail.body.assets[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const { rows } = await t.db.query(`SELECT created_at FROM media_assets WHERE job_id = $1`, [job.id]);
    expect(Date.parse(detail.body.assets[0].created_at)).toBe(Math.floor(rows[0].created_at.getTime()));
  });
});
