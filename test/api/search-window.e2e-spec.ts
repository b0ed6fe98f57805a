import { SEARCH_CANDIDATES } from '../../src/search/search-window';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { addTranscription, createJob, startApi, type Json } from '../utils/fixtures';
import { countQueries } from '../utils/query-counter';
import type { TestApp } from '../utils/test-app';

/**
 * The candidate window: a search ranks only the newest SEARCH_CANDIDATES matches, the first
 * page fixes which, and later pages rank that same set.
 */
describe('GET /api/search: the newest SEARCH_CANDIDATES matches', () => {
  let t: TestApp;
  let jobId: string;
  const search = (query: Record<string, string | number>) => t.http.get('/api/search').query(query);

  /**
   * `count` transcriptions through SQL, one a minute back in time from `minutesAgo`; row i
   * (newest first) holds `text(i)`. Returns their ids, newest first.
   */
  async function insertRows(count: number, minutesAgo: number, text: (i: number) => string): Promise<string[]> {
    const texts = Array.from({ length: count }, (_, i) => text(i));
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO transcriptions (job_id, provider, text_content, language, created_at)
       SELECT $1, 'groq', body, 'en', now() - ($2 + i - 1) * interval '1 minute'
       FROM unnest($3::text[]) WITH ORDINALITY AS x(body, i) ORDER BY i
       RETURNING id`,
      [jobId, minutesAgo, texts],
    );
    return rows.map((row) => row.id);
  }

  /** Follows next_cursor to the end (limit 100), calling between() after each page; every page says it is capped. */
  async function allPages(query: Record<string, string>, between: (page: number) => Promise<void> = async () => {}) {
    const seen: Json[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res = await search({ ...query, limit: 100, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.capped).toBe(true);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
      if (!cursor) return seen;
      await between(page);
    }
    throw new Error('paging does not end');
  }

  beforeAll(async () => {
    // No background statements while counting: no lease sweep, no webhook sender poll.
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000', WEBHOOK_POLL_INTERVAL_MS: '60000' } });
    jobId = (await createJob(t, 'audio')).id;
  });
  afterAll(() => t.close());

  describe('with more matches than the window holds', () => {
    const count = SEARCH_CANDIDATES + SEARCH_CANDIDATES / 2;
    let matches: string[];

    beforeAll(async () => {
      // One row in ten matches, so the window is found over several probes; the older
      // matches rank higher (the word more often), so a best-first answer over every match
      // would start with rows outside the window.
      const ids = await insertRows(count * 10, 100, (i) =>
        i % 10 === 0 ? `${'heron '.repeat(1 + Math.floor(i / 3000))}by the shore` : 'waders by the shore',
      );
      matches = ids.filter((_, i) => i % 10 === 0);
    });

    it('ranks the newest matches only, best first', async () => {
      const seen = await allPages({ q: 'heron' });
      const ids = seen.map((hit) => hit.id);
      expect(new Set(ids)).toEqual(new Set(matches.slice(0, SEARCH_CANDIDATES)));
      expect(ids.length).toBe(SEARCH_CANDIDATES);
      const ranks = seen.map((hit) => hit.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    });

    it('neither repeats nor skips a match of the window while rows are inserted and deleted between pages', async () => {
      const window = matches.slice(0, SEARCH_CANDIDATES);
      const deleted = window[3];
      const newer: string[] = [];
      const late: string[] = [];
      const seen = await allPages({ q: 'heron' }, async (page) => {
        // Newer and better matches: they would push the window's oldest matches out, were it not fixed by the first page…
        for (let i = 0; i < 10; i++) {
          newer.push((await addTranscription(t, jobId, { text_content: `heron heron heron heron ${page}` })).id);
        }
        // …a match committed late, with a created_at inside the window, and a match of the window deleted.
        late.push(...(await insertRows(1, 150, () => 'heron late')));
        if (page === 2) await t.db.query(`DELETE FROM transcriptions WHERE id = $1`, [deleted]);
      });
      const ids = seen.map((hit) => hit.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => newer.includes(id))).toEqual([]);
      const existing = ids.filter((id) => !late.includes(id));
      const seenDeleted = existing.includes(deleted);
      expect(new Set(existing)).toEqual(new Set(window.filter((id) => id !== deleted || seenDeleted)));
    });
  });

  it("runs on connections that never JIT-compile (a search plan's estimated cost would set it off)", async () => {
    expect(await t.app.get(DataSource).query('SHOW jit')).toEqual([{ jit: 'off' }]);
  });

  it('reaches back past many newer rows that do not match, in one statement when matches are that rare', async () => {
    const [old] = await insertRows(1, 60 * 24 * 365, () => 'a bittern in the reeds');
    await insertRows(9000, 1, () => 'reeds and water');
    const counter = countQueries(t.app);
    let res: request.Response | undefined;
    expect(await counter.during(async () => (res = await search({ q: 'bittern' })))).toBe(1);
    expect(res?.status).toBe(200);
    expect(res?.body).toEqual({ items: [expect.objectContaining({ id: old })], next_cursor: null, capped: false });
    expect((await search({ q: 'bittern', kind: 'transcription' })).body.items).toHaveLength(1);
  });
});
