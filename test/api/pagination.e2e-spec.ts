import type { TestApp } from '../utils/test-app';
import { addAsset, collectPages, createJob, expectError, insertJobs, startApi, type Json } from '../utils/fixtures';

const ids = (items: Json[]) => items.map((item) => item.id as string);

/** Keyset pagination: pages are disjoint and complete, ties and concurrent inserts included. */
describe('keyset pagination', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await t.db.query('DELETE FROM jobs');
  });

  /** Every job id in the order the API must list them: created_at DESC, id DESC. */
  async function expectedOrder(where = 'true'): Promise<string[]> {
    const { rows } = await t.db.query(`SELECT id FROM jobs WHERE ${where} ORDER BY created_at DESC, id DESC`);
    return rows.map((row) => row.id);
  }

  it('pages through every job exactly once, newest first', async () => {
    await insertJobs(
      t.db,
      Array.from({ length: 45 }, (_, i) => ({ created_at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() })),
    );
    const pages = await collectPages(t, '/api/jobs', 7);
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 7, 7, 3]);
    const all = pages.flatMap(ids);
    expect(new Set(all).size).toBe(45);
    expect(all).toEqual(await expectedOrder());
  });

  it('ends with next_cursor null on a page that is exactly full', async () => {
    await insertJobs(
      t.db,
      Array.from({ length: 10 }, () => ({})),
    );
    const pages = await collectPages(t, '/api/jobs', 5);
    expect(pages.map((page) => page.length)).toEqual([5, 5]);
  });

  it('pages correctly through rows that share one created_at', async () => {
    const sameInstant = '2025-03-03T03:03:03.333333Z';
    await insertJobs(t.db, [
      { created_at: '2025-03-03T03:03:04Z' },
      ...Array.from({ length: 25 }, () => ({ created_at: sameInstant })),
      { created_at: '2025-03-03T03:03:02Z' },
    ]);
    for (const limit of [1, 4, 10]) {
      const all = (await collectPages(t, '/api/jobs', limit)).flatMap(ids);
      expect(new Set(all).size).toBe(27);
      expect(all).toEqual(await expectedOrder());
    }
  });

  it('keeps the filter across pages (status, job_type, branch lists)', async () => {
    await insertJobs(
      t.db,
      Array.from({ length: 30 }, (_, i) => ({
        job_type: i % 2 ? 'audio' : 'video',
        status: i % 3 ? 'pending' : 'failed',
        created_at: '2025-05-05T05:05:05Z',
      })),
    );
    const audioPending = (await collectPages(t, '/api/media/audio?status=pending', 3)).flatMap(ids);
    expect(audioPending).toEqual(await expectedOrder(`job_type = 'audio' AND status = 'pending'`));
    const failed = (await collectPages(t, '/api/jobs?status=failed', 4)).flatMap(ids);
    expect(failed).toEqual(await expectedOrder(`status = 'failed'`));
  });

  it('never repeats or skips an existing job while jobs are inserted between pages', async () => {
    await insertJobs(
      t.db,
      Array.from({ length: 30 }, (_, i) => ({
        created_at: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 10)).toISOString(),
      })),
    );
    const existing = await expectedOrder();
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res = await t.http.get('/api/jobs').query(cursor ? { limit: 4, cursor } : { limit: 4 });
      expect(res.status).toBe(200);
      seen.push(...ids(res.body.items));
      cursor = res.body.next_cursor;
      // New jobs: one through the API (newest), one at the same instant as existing rows.
      await createJob(t);
      await insertJobs(t.db, [{ created_at: new Date(Date.UTC(2025, 0, 1, 0, 0, round % 10)).toISOString() }]);
      round++;
    } while (cursor && round < 100);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => existing.includes(id))).toEqual(existing);
  });

  it("pages a job's children oldest first, ties included", async () => {
    const job = await createJob(t);
    for (let i = 0; i < 6; i++) await addAsset(t, job.id, { file_path: `f${i}` });
    await t.db.query(
      `INSERT INTO media_assets (job_id, asset_type, file_path, created_at)
       SELECT $1, 'frame', 'tie-' || n, '2025-01-01T00:00:00.5Z' FROM generate_series(1, 15) n`,
      [job.id],
    );
    const { rows } = await t.db.query(`SELECT id FROM media_assets WHERE job_id = $1 ORDER BY created_at, id`, [
      job.id,
    ]);
    const pages = await collectPages(t, `/api/jobs/${job.id}/assets`, 4);
    expect(pages.flatMap(ids)).toEqual(rows.map((row) => row.id));
    expect(pages).toHaveLength(6);
  });

  it('never repeats or skips an existing child while children are added between pages', async () => {
    const job = await createJob(t);
    await t.db.query(
      `INSERT INTO media_assets (job_id, asset_type, file_path, created_at)
       SELECT $1, 'frame', 'old-' || n, '2025-01-01T00:00:00Z'::timestamptz + (n % 5) * interval '1 second' FROM generate_series(1, 20) n`,
      [job.id],
    );
    const { rows } = await t.db.query(`SELECT id FROM media_assets WHERE job_id = $1 ORDER BY created_at, id`, [
      job.id,
    ]);
    const existing = rows.map((row) => row.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res = await t.http.get(`/api/jobs/${job.id}/assets`).query(cursor ? { limit: 3, cursor } : { limit: 3 });
      expect(res.status).toBe(200);
      seen.push(...ids(res.body.items));
      cursor = res.body.next_cursor;
      await addAsset(t, job.id, { file_path: `new-${round}` });
      await t.db.query(
        `INSERT INTO media_assets (job_id, asset_type, file_path, created_at) VALUES ($1, 'frame', 'tie', '2025-01-01T00:00:02Z')`,
        [job.id],
      );
      round++;
    } while (cursor && round < 100);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => existing.includes(id))).toEqual(existing);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['empty', ''],
    ['a timestamp without id', Buffer.from('2025-01-01T00:00:00.000000Z').toString('base64url')],
    ['a bad uuid', Buffer.from('2025-01-01T00:00:00.000000Z|nope').toString('base64url')],
    [
      'a rolled-over date',
      Buffer.from('2025-02-30T00:00:00.000000Z|3fa85f64-5717-4562-b3fc-2c963f66afa6').toString('base64url'),
    ],
    [
      'an impossible date',
      Buffer.from('2025-13-45T99:00:00.000000Z|3fa85f64-5717-4562-b3fc-2c963f66afa6').toString('base64url'),
    ],
    ['too long', 'A'.repeat(500)],
  ])('answers 400 for an invalid cursor (%s)', async (_name, cursor) => {
    const job = await createJob(t);
    for (const path of ['/api/jobs', '/api/media/video', `/api/jobs/${job.id}/transcriptions`]) {
      expectError(await t.http.get(path).query({ cursor }), 400, 'cursor');
    }
  });
});
