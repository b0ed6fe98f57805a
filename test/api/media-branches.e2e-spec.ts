import type { TestApp } from '../utils/test-app';
import {
  addAnalysisResult,
  addAsset,
  addTranscription,
  BRANCHES,
  createJob,
  expectError,
  ISO_MS,
  JOB_FIELDS,
  jobRow,
  startApi,
  UNKNOWN_ID,
} from '../utils/fixtures';

describe('media branches: /api/media/{video|audio|document}', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());

  describe.each(BRANCHES)('POST /api/media/%s', (branch) => {
    it('answers 201 with the full pending job, every absent field null, and Location', async () => {
      const res = await t.http.post(`/api/media/${branch}`).send({ media_url: 'https://cdn.example.com/a.bin' });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers.location).toBe(`/api/jobs/${res.body.id}`);
      expect(Object.keys(res.body).sort()).toEqual([...JOB_FIELDS].sort());
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        job_type: branch,
        status: 'pending',
        media_url: 'https://cdn.example.com/a.bin',
        prompt: null,
        parameters: {},
        result: null,
        error: null,
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
        started_at: null,
        completed_at: null,
        processing_time_ms: null,
        priority: 0,
        attempts: 0,
        max_attempts: 3,
        worker_id: null,
        lease_expires_at: null,
        progress: null,
        progress_message: null,
        has_callback: false,
      });
      const row = await jobRow(t.db, res.body.id);
      expect(row).toMatchObject({
        job_type: branch,
        status: 'pending',
        media_url: 'https://cdn.example.com/a.bin',
        parameters: {},
      });
    });

    it('stores prompt, parameters, priority and max_attempts as given', async () => {
      const body = {
        media_url: 's3://bucket/key.mp4',
        prompt: 'Describe it',
        parameters: { fps: 2, nested: { a: [1, 'x'] } },
        priority: 7,
        max_attempts: 5,
      };
      const job = await createJob(t, branch, body);
      expect(job).toMatchObject(body);
      expect(await jobRow(t.db, job.id)).toMatchObject(body);
    });

    it('treats null prompt and parameters as absent (parameters default to {})', async () => {
      const job = await createJob(t, branch, { prompt: null, parameters: null });
      expect(job.prompt).toBeNull();
      expect(job.parameters).toEqual({});
      expect((await jobRow(t.db, job.id))?.parameters).toEqual({});
    });
  });

  describe.each(BRANCHES)('GET /api/media/%s/{id}', (branch) => {
    it('answers the job with three empty child arrays', async () => {
      const job = await createJob(t, branch);
      const res = await t.http.get(`/api/media/${branch}/${job.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...job, assets: [], transcriptions: [], analysis_results: [] });
    });

    it('answers the children exactly as their own endpoints render them, oldest first', async () => {
      const job = await createJob(t, branch);
      const assets = [
        await addAsset(t, job.id, {
          asset_type: 'original',
          file_size_bytes: 2 ** 40,
          mime_type: 'video/mp4',
          metadata: { w: 1 },
        }),
        await addAsset(t, job.id, { asset_type: 'frame' }),
      ];
      const transcriptions = [
        await addTranscription(t, job.id, {
          language: 'en',
          confidence_score: 0.5,
          word_timestamps: [{ word: 'hello', start: 0, end: 0.5 }],
        }),
      ];
      const results = [
        await addAnalysisResult(t, job.id, {
          summary: 's',
          detailed_analysis: { k: [1] },
          input_tokens: 3,
          output_tokens: 4,
        }),
      ];
      const res = await t.http.get(`/api/media/${branch}/${job.id}`);
      expect(res.status).toBe(200);
      expect(res.body.assets).toEqual(assets);
      expect(res.body.transcriptions).toEqual(transcriptions);
      expect(res.body.analysis_results).toEqual(results);
      expect(typeof res.body.assets[0].file_size_bytes).toBe('number');
      // The generic job route answers the same document.
      expect((await t.http.get(`/api/jobs/${job.id}`)).body).toEqual(res.body);
    });

    it('answers 404 for a job of another branch, and for an unknown id', async () => {
      const other = BRANCHES.find((b) => b !== branch)!;
      const job = await createJob(t, other);
      expectError(await t.http.get(`/api/media/${branch}/${job.id}`), 404, job.id);
      expectError(await t.http.get(`/api/media/${branch}/${UNKNOWN_ID}`), 404);
    });

    it('answers 400 for a path id that is not a UUID', async () => {
      expectError(await t.http.get(`/api/media/${branch}/not-a-uuid`), 400, 'id must be a UUID');
      expectError(await t.http.get(`/api/media/${branch}/${UNKNOWN_ID}x`), 400);
    });
  });

  describe.each(BRANCHES)('GET /api/media/%s', (branch) => {
    it('lists only that branch, newest first, filtered by status', async () => {
      const mine = [await createJob(t, branch), await createJob(t, branch)];
      const res = await t.http.get(`/api/media/${branch}`).query({ limit: 100 });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'next_cursor']);
      expect(res.body.items.every((job: { job_type: string }) => job.job_type === branch)).toBe(true);
      const ids = res.body.items.map((job: { id: string }) => job.id);
      expect(ids.indexOf(mine[1].id)).toBeLessThan(ids.indexOf(mine[0].id));
      expect(ids.indexOf(mine[0].id)).toBeGreaterThanOrEqual(0);

      expect((await t.http.post(`/api/jobs/${mine[0].id}/start`)).status).toBe(200);
      const processing = await t.http.get(`/api/media/${branch}`).query({ status: 'processing' });
      expect(processing.status).toBe(200);
      expect(processing.body.items.map((job: { id: string }) => job.id)).toEqual([mine[0].id]);
    });

    it('rejects job_type, which only /api/jobs takes', async () => {
      expectError(await t.http.get(`/api/media/${branch}`).query({ job_type: branch }), 400, 'job_type');
    });
  });

  it('has no branch other than video, audio and document', async () => {
    expectError(await t.http.post('/api/media/image').send({ media_url: 'https://x.example/a' }), 404);
    expectError(await t.http.get('/api/media/image'), 404);
  });
});
