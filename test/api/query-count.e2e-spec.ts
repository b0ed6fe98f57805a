import type { TestApp } from '../utils/test-app';
import {
  addAnalysisResult,
  addAsset,
  addTranscription,
  createJob,
  insertJobs,
  startApi,
  type Json,
} from '../utils/fixtures';
import { countQueries } from '../utils/query-counter';

/** Reads cost a fixed number of statements, whatever the number of rows behind them (no N+1). */
describe('statements per read', () => {
  let t: TestApp;
  let counter: ReturnType<typeof countQueries>;
  let empty: Json;
  let full: Json;
  beforeAll(async () => {
    // No background statements while counting: no lease sweep, no webhook sender poll.
    t = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000', WEBHOOK_POLL_INTERVAL_MS: '60000' } });
    counter = countQueries(t.app);
    empty = await createJob(t);
    full = await createJob(t);
    for (let i = 0; i < 10; i++) {
      await addAsset(t, full.id);
      await addTranscription(t, full.id);
      await addAnalysisResult(t, full.id);
    }
  });
  afterAll(() => t.close());

  async function statements(path: string, expectLength?: (body: Json) => void): Promise<number> {
    return counter.during(async () => {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expectLength?.(res.body);
    });
  }

  it.each([['/api/jobs/%s'], ['/api/media/video/%s']])(
    'GET %s: the same count for 0 and 30 children',
    async (route) => {
      const none = await statements(route.replace('%s', empty.id), (body) => expect(body.assets).toHaveLength(0));
      const thirty = await statements(route.replace('%s', full.id), (body) => {
        expect(body.assets).toHaveLength(10);
        expect(body.transcriptions).toHaveLength(10);
        expect(body.analysis_results).toHaveLength(10);
      });
      expect(none).toBeGreaterThan(0);
      expect(thirty).toBe(none);
      expect(none).toBeLessThanOrEqual(2);
    },
  );

  it('GET /api/jobs: the same count for 1 and 100 jobs on a page', async () => {
    const one = await statements('/api/jobs?limit=1', (body) => expect(body.items).toHaveLength(1));
    await insertJobs(
      t.db,
      Array.from({ length: 100 }, () => ({})),
    );
    const hundred = await statements('/api/jobs?limit=100', (body) => expect(body.items).toHaveLength(100));
    expect(hundred).toBe(one);
  });

  it("GET a job's child list: at most two statements, whatever its length", async () => {
    const none = await statements(`/api/jobs/${empty.id}/assets`);
    const ten = await statements(`/api/jobs/${full.id}/assets`, (body) => expect(body.items).toHaveLength(10));
    expect(none).toBeLessThanOrEqual(2);
    expect(ten).toBeLessThanOrEqual(none);
  });
});
