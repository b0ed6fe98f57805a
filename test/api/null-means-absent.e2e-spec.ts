import type { TestApp } from '../utils/test-app';
import { createJob, startApi } from '../utils/fixtures';

/** API.md: in a body, `null` for an optional field means the same as leaving it out. */
describe('null for an optional field means absent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await t.db.query('DELETE FROM jobs');
  });

  const leaseSeconds = async (id: string) =>
    (
      await t.db.query(`SELECT round(extract(epoch FROM lease_expires_at - now()))::int AS s FROM jobs WHERE id = $1`, [
        id,
      ])
    ).rows[0].s;

  it('create: every optional field null gives the defaults', async () => {
    const job = await createJob(t, 'audio', { prompt: null, parameters: null, priority: null, max_attempts: null });
    expect(job).toMatchObject({ prompt: null, parameters: {}, priority: 0, max_attempts: 3 });
  });

  it('claim: null job_types, worker_id and lease_seconds give any type, no worker, 300 s', async () => {
    const job = await createJob(t, 'document');
    const res = await t.http.post('/api/jobs/claim').send({ job_types: null, worker_id: null, lease_seconds: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: job.id, worker_id: null, attempts: 1 });
    expect(await leaseSeconds(job.id)).toBe(300);
  });

  it('heartbeat: null lease_seconds renews for 300 s (the job keeps its lease)', async () => {
    await createJob(t);
    const claimed = await t.http.post('/api/jobs/claim').send({ worker_id: 'w', lease_seconds: 10 });
    const res = await t.http
      .post(`/api/jobs/${claimed.body.id}/heartbeat`)
      .send({ worker_id: null, lease_seconds: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: claimed.body.id, status: 'processing', worker_id: 'w' });
    expect(res.body.lease_expires_at).not.toBeNull();
    expect(await leaseSeconds(claimed.body.id)).toBe(300);
  });

  it('complete: a null result is stored as SQL NULL, like no result', async () => {
    for (const body of [{ result: null, worker_id: null }, {}]) {
      const job = await createJob(t);
      const started = await t.http.post(`/api/jobs/${job.id}/start`);
      expect({ status: started.status, job: started.body.status }).toEqual({ status: 200, job: 'processing' });
      const res = await t.http.post(`/api/jobs/${job.id}/complete`).send(body);
      expect(res.status).toBe(200);
      expect(res.body.result).toBeNull();
      const { rows } = await t.db.query(`SELECT result IS NULL AS is_null FROM jobs WHERE id = $1`, [job.id]);
      expect(rows[0].is_null).toBe(true);
    }
  });

  it('fail: a null worker_id is no worker check', async () => {
    const job = await createJob(t);
    const res = await t.http.post(`/api/jobs/${job.id}/fail`).send({ error: 'x', worker_id: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: job.id, status: 'failed', error: 'x', worker_id: null });
  });

  it('children: null optional fields are stored as absent', async () => {
    const job = await createJob(t);
    const asset = await t.http
      .post(`/api/jobs/${job.id}/assets`)
      .send({ asset_type: 'frame', file_path: 'f', file_size_bytes: null, mime_type: null, metadata: null });
    expect(asset.status).toBe(201);
    expect(asset.body).toMatchObject({ file_size_bytes: null, mime_type: null, metadata: {} });
    const tr = await t.http.post(`/api/jobs/${job.id}/transcriptions`).send({
      provider: 'groq',
      text_content: 'x',
      language: null,
      confidence_score: null,
      word_timestamps: null,
      metadata: null,
    });
    expect(tr.status).toBe(201);
    expect(tr.body).toMatchObject({ language: null, confidence_score: null, word_timestamps: null, metadata: {} });
    const ar = await t.http.post(`/api/jobs/${job.id}/analysis-results`).send({
      analysis_type: 'video',
      summary: null,
      detailed_analysis: null,
      confidence_score: null,
      model_used: null,
      prompt_used: null,
      input_tokens: null,
      output_tokens: null,
    });
    expect(ar.status).toBe(201);
    expect(ar.body).toMatchObject({ summary: null, detailed_analysis: null, input_tokens: null });
    const { rows } = await t.db.query(
      `SELECT (SELECT word_timestamps IS NULL FROM transcriptions WHERE id = $1) AS wt, (SELECT detailed_analysis IS NULL FROM analysis_results WHERE id = $2) AS da`,
      [tr.body.id, ar.body.id],
    );
    expect(rows[0]).toEqual({ wt: true, da: true });
  });
});
