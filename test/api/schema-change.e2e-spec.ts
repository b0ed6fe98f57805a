import { addAnalysisResult, addAsset, addTranscription, createJob, startApi, type Json } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

/**
 * A migration that changes a table while instances run (the search and events migrations add
 * columns) must not turn their prepared statements into 500s: PostgreSQL answers a cached plan
 * whose result type changed with 0A000 "cached plan must not change result type".
 */
describe('schema changes while the service runs', () => {
  let t: TestApp;
  let job: Json;
  let children: Record<'assets' | 'transcriptions' | 'analysis-results', string>;

  /** Every read and write of the child tables, several at once so each pooled connection prepares them. */
  async function exerciseChildren(times = 4): Promise<number[]> {
    const requests = Array.from({ length: times }, () => [
      t.http.get(`/api/jobs/${job.id}/assets`),
      t.http.get(`/api/jobs/${job.id}/transcriptions`),
      t.http.get(`/api/jobs/${job.id}/analysis-results`),
      t.http.get(`/api/assets/${children.assets}`),
      t.http.get(`/api/transcriptions/${children.transcriptions}`),
      t.http.get(`/api/analysis-results/${children['analysis-results']}`),
      t.http.post(`/api/jobs/${job.id}/assets`).send({ asset_type: 'frame', file_path: 's3://b/f.jpg' }),
      t.http.post(`/api/jobs/${job.id}/transcriptions`).send({ provider: 'groq', text_content: 'x' }),
      t.http.post(`/api/jobs/${job.id}/analysis-results`).send({ analysis_type: 'video' }),
      t.http.get(`/api/jobs/${job.id}`),
    ]).flat();
    return (await Promise.all(requests)).map((res) => res.status);
  }

  const EXPECTED = [200, 200, 200, 200, 200, 200, 201, 201, 201, 200];

  beforeAll(async () => {
    t = await startApi({ env: { DB_POOL_MAX: '3' } });
    job = await createJob(t);
    children = {
      assets: (await addAsset(t, job.id)).id,
      transcriptions: (await addTranscription(t, job.id)).id,
      'analysis-results': (await addAnalysisResult(t, job.id)).id,
    };
    expect(await exerciseChildren()).toEqual(Array(4).fill(EXPECTED).flat());
  });
  afterAll(() => t.close());

  it('keeps answering, without the new column, when a column is added to every child table', async () => {
    for (const table of ['media_assets', 'transcriptions', 'analysis_results']) {
      await t.db.query(`ALTER TABLE ${table} ADD COLUMN added_later text DEFAULT 'x'`);
    }
    expect(await exerciseChildren()).toEqual(Array(4).fill(EXPECTED).flat());
    const asset = await t.http.get(`/api/assets/${children.assets}`).expect(200);
    expect(asset.body).not.toHaveProperty('added_later');
  });

  it('keeps answering when a returned column changes type (the prepared plans are replaced once)', async () => {
    await exerciseChildren();
    await t.db.query('ALTER TABLE media_assets ALTER COLUMN mime_type TYPE varchar(150)');
    await t.db.query('ALTER TABLE transcriptions ALTER COLUMN language TYPE varchar(20)');
    await t.db.query('ALTER TABLE analysis_results ALTER COLUMN model_used TYPE varchar(150)');
    expect(await exerciseChildren()).toEqual(Array(4).fill(EXPECTED).flat());
    const asset = await t.http.get(`/api/assets/${children.assets}`).expect(200);
    expect(asset.body.mime_type).toBeNull();
  });
});
