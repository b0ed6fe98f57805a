import type { TestApp } from '../utils/test-app';
import {
  addAnalysisResult,
  addAsset,
  addTranscription,
  createJob,
  expectError,
  expectNoChange,
  ISO_MS,
  startApi,
  UNKNOWN_ID,
  type Json,
} from '../utils/fixtures';

interface Kind {
  table: string;
  collection: string;
  item: string;
  body: Json;
  filter: string;
  add: (t: TestApp, jobId: string, body?: Json) => Promise<Json>;
  /** Three bodies whose filter values are a, b, a. */
  variants: [Json, Json, Json];
  defaults: Json;
}

const KINDS: Kind[] = [
  {
    table: 'media_assets',
    collection: 'assets',
    item: 'assets',
    body: { asset_type: 'frame', file_path: 's3://b/f.jpg' },
    filter: 'asset_type',
    add: addAsset,
    variants: [{ asset_type: 'frame' }, { asset_type: 'original' }, { asset_type: 'frame' }],
    defaults: { file_size_bytes: null, mime_type: null, metadata: {} },
  },
  {
    table: 'transcriptions',
    collection: 'transcriptions',
    item: 'transcriptions',
    body: { provider: 'deepgram', text_content: 'hello' },
    filter: 'provider',
    add: addTranscription,
    variants: [{ provider: 'groq' }, { provider: 'openai' }, { provider: 'groq' }],
    defaults: { language: null, confidence_score: null, word_timestamps: null, metadata: {} },
  },
  {
    table: 'analysis_results',
    collection: 'analysis-results',
    item: 'analysis-results',
    body: { analysis_type: 'video' },
    filter: 'analysis_type',
    add: addAnalysisResult,
    variants: [{ analysis_type: 'document' }, { analysis_type: 'audio' }, { analysis_type: 'document' }],
    defaults: {
      summary: null,
      detailed_analysis: null,
      confidence_score: null,
      model_used: null,
      prompt_used: null,
      input_tokens: null,
      output_tokens: null,
    },
  },
];

describe('children of a job: assets, transcriptions, analysis results', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());

  describe.each(KINDS)('$table', (kind) => {
    it('POST answers 201 with every column of the table, absent values null, and Location', async () => {
      const job = await createJob(t);
      const res = await t.http.post(`/api/jobs/${job.id}/${kind.collection}`).send(kind.body);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/${kind.item}/${res.body.id}`);
      const { rows } = await t.db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public'`,
        [kind.table],
      );
      // search_vector (migration Search) is the database's own index data, never part of an answer.
      const columns = rows.map((row) => row.column_name).filter((name) => name !== 'search_vector');
      expect(Object.keys(res.body).sort()).toEqual(columns.sort());
      expect(res.body).toEqual({
        id: expect.any(String),
        job_id: job.id,
        created_at: expect.stringMatching(ISO_MS),
        ...kind.body,
        ...kind.defaults,
      });
      const stored = await t.db.query(`SELECT job_id FROM ${kind.table} WHERE id = $1`, [res.body.id]);
      expect(stored.rows).toEqual([{ job_id: job.id }]);
    });

    it('GET by id answers the child as created; DELETE answers 204, then 404', async () => {
      const job = await createJob(t);
      const created = await kind.add(t, job.id);
      const got = await t.http.get(`/api/${kind.item}/${created.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created);
      const deleted = await t.http.delete(`/api/${kind.item}/${created.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await t.db.query(`SELECT 1 FROM ${kind.table} WHERE id = $1`, [created.id])).rowCount).toBe(0);
      expectError(await t.http.get(`/api/${kind.item}/${created.id}`), 404, created.id);
      expectError(await t.http.delete(`/api/${kind.item}/${created.id}`), 404);
      expect((await t.http.get(`/api/jobs/${job.id}`)).status).toBe(200);
    });

    it('answers 404 for an unknown child id', async () => {
      expectError(await t.http.get(`/api/${kind.item}/${UNKNOWN_ID}`), 404);
      await expectNoChange(t.db, async () => expectError(await t.http.delete(`/api/${kind.item}/${UNKNOWN_ID}`), 404));
    });

    it('answers 404, creating nothing, when the job is unknown', async () => {
      await expectNoChange(t.db, async () => {
        expectError(await t.http.post(`/api/jobs/${UNKNOWN_ID}/${kind.collection}`).send(kind.body), 404, UNKNOWN_ID);
      });
      expectError(await t.http.get(`/api/jobs/${UNKNOWN_ID}/${kind.collection}`), 404);
    });

    it("lists a job's children oldest first, with its filter, and no other job's", async () => {
      const job = await createJob(t);
      const other = await createJob(t);
      await kind.add(t, other.id, kind.variants[0]);
      const made = [];
      for (const variant of kind.variants) made.push(await kind.add(t, job.id, variant));

      const all = await t.http.get(`/api/jobs/${job.id}/${kind.collection}`);
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ items: made, next_cursor: null });

      const value = kind.variants[0][kind.filter];
      const filtered = await t.http.get(`/api/jobs/${job.id}/${kind.collection}`).query({ [kind.filter]: value });
      expect(filtered.status).toBe(200);
      expect(filtered.body.items).toEqual([made[0], made[2]]);

      const empty = await createJob(t);
      const none = await t.http.get(`/api/jobs/${empty.id}/${kind.collection}`);
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ items: [], next_cursor: null });
    });

    it("pages a job's children with limit and cursor", async () => {
      const job = await createJob(t);
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await kind.add(t, job.id));
      const first = await t.http.get(`/api/jobs/${job.id}/${kind.collection}`).query({ limit: 2 });
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual(made.slice(0, 2));
      const second = await t.http
        .get(`/api/jobs/${job.id}/${kind.collection}`)
        .query({ limit: 3, cursor: first.body.next_cursor });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ items: made.slice(2), next_cursor: null });
      expectError(await t.http.get(`/api/jobs/${job.id}/${kind.collection}`).query({ limit: 101 }), 400, 'limit');
    });
  });

  it('rejects a filter value outside its rule', async () => {
    const job = await createJob(t);
    expectError(await t.http.get(`/api/jobs/${job.id}/assets`).query({ asset_type: 'Frame' }), 400, 'asset_type');
    expectError(await t.http.get(`/api/jobs/${job.id}/transcriptions`).query({ provider: 'whisper' }), 400, 'provider');
    expectError(
      await t.http.get(`/api/jobs/${job.id}/analysis-results`).query({ analysis_type: 'image' }),
      400,
      'analysis_type',
    );
    expectError(await t.http.get(`/api/jobs/${job.id}/assets`).query({ provider: 'groq' }), 400, 'provider');
  });

  it('DELETE /api/jobs/{id} answers 204 and removes every child by cascade, leaving other jobs alone', async () => {
    const [job, other] = [await createJob(t), await createJob(t)];
    for (const owner of [job, other]) {
      for (const kind of KINDS) for (let i = 0; i < 2; i++) await kind.add(t, owner.id);
    }
    const counts = async (jobId: string) =>
      (
        await t.db.query(
          `SELECT (SELECT count(*) FROM jobs WHERE id = $1)::int AS jobs, (SELECT count(*) FROM media_assets WHERE job_id = $1)::int AS assets,
                  (SELECT count(*) FROM transcriptions WHERE job_id = $1)::int AS transcriptions,
                  (SELECT count(*) FROM analysis_results WHERE job_id = $1)::int AS results`,
          [jobId],
        )
      ).rows[0];
    expect(await counts(job.id)).toEqual({ jobs: 1, assets: 2, transcriptions: 2, results: 2 });

    const res = await t.http.delete(`/api/jobs/${job.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await counts(job.id)).toEqual({ jobs: 0, assets: 0, transcriptions: 0, results: 0 });
    expect(await counts(other.id)).toEqual({ jobs: 1, assets: 2, transcriptions: 2, results: 2 });
    expectError(await t.http.get(`/api/jobs/${job.id}`), 404);
    expectError(await t.http.delete(`/api/jobs/${job.id}`), 404);
    expectError(await t.http.get(`/api/jobs/${job.id}/assets`), 404);
  });

  it('DELETE of an unknown job answers 404 and changes nothing', async () => {
    await createJob(t);
    await expectNoChange(t.db, async () => expectError(await t.http.delete(`/api/jobs/${UNKNOWN_ID}`), 404));
  });

  it("orders the detail's children oldest first, ties by id", async () => {
    const job = await createJob(t);
    await t.db.query(
      `INSERT INTO transcriptions (job_id, provider, text_content, created_at)
       SELECT $1, 'groq', 'n' || n, ('2025-01-01T00:00:0' || (n % 3) || 'Z')::timestamptz FROM generate_series(1, 9) n`,
      [job.id],
    );
    const { rows } = await t.db.query(`SELECT id FROM transcriptions WHERE job_id = $1 ORDER BY created_at, id`, [
      job.id,
    ]);
    const detail = await t.http.get(`/api/jobs/${job.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.transcriptions.map((tr: Json) => tr.id)).toEqual(rows.map((row) => row.id));
    const list = await t.http.get(`/api/jobs/${job.id}/transcriptions`);
    expect(list.body.items.map((tr: Json) => tr.id)).toEqual(rows.map((row) => row.id));
    // The same fields as the detail's children: not the cursor column the list's rows carry.
    expect(list.body.items[0]).toEqual(detail.body.transcriptions[0]);
  });
});
