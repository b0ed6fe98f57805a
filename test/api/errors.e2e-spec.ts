import type { TestApp } from '../utils/test-app';
import { withAdminClient } from '../utils/test-database';
import { createJob, expectError, startApi, UNKNOWN_ID } from '../utils/fixtures';

/** Words that must never reach a client in a 5xx: SQL, driver and connection details, stack frames. */
const LEAKS = [
  /select|insert|update|delete from|relation|column|table|syntax/i,
  /postgres(ql)?:\/\//i,
  /ma_test_/,
  /\bat .+\(.+:\d+:\d+\)/,
  /node_modules|\.ts:\d+/,
  /ECONNREFUSED|3D000|42P01/,
];

function expectNoLeak(text: string): void {
  for (const pattern of LEAKS) expect(text).not.toMatch(pattern);
}

describe('global exception filter', () => {
  describe('4xx', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApi();
    });
    afterAll(() => t.close());

    it('answers an unknown route with a 404 in the error shape', async () => {
      const res = await t.http.get('/api/nothing-here');
      expectError(res, 404);
      expect(res.body.error).toBe('Not Found');
    });

    it('names the reason phrase of each status', async () => {
      const job = await createJob(t);
      expect((await t.http.get('/api/jobs/nope')).body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect((await t.http.get(`/api/jobs/${UNKNOWN_ID}`)).body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect((await t.http.post(`/api/jobs/${job.id}/retry`)).body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
      });
      const tooBig = await t.http
        .post('/api/media/video')
        .send({ media_url: 'https://a.example/x', prompt: 'x'.repeat(1_100_000) });
      expect(tooBig.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });

    it('answers a body that is not JSON with a 4xx in the error shape, naming the reason', async () => {
      const xml = await t.http.post('/api/media/video').set('Content-Type', 'application/xml').send('<job/>');
      expectError(xml, 415);
      expect(xml.body.error).toBe('Unsupported Media Type');
      const text = await t.http.post('/api/jobs/claim').set('Content-Type', 'text/plain').send('hello');
      expectError(text, 415);
    });
  });

  describe('5xx', () => {
    let t: TestApp;
    let jobId: string;
    beforeAll(async () => {
      t = await startApi(); // a database of its own, broken on purpose below
      jobId = (await createJob(t)).id;
    });
    afterAll(() => t.close());

    it('answers a database error with a bare 500 that leaks no SQL or stack', async () => {
      await t.db.query('DROP TABLE analysis_results');
      for (const path of [`/api/jobs/${jobId}`, `/api/jobs/${jobId}/analysis-results`, `/api/media/video/${jobId}`]) {
        const res = await t.http.get(path);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
        expectNoLeak(res.text);
      }
      const post = await t.http.post(`/api/jobs/${jobId}/analysis-results`).send({ analysis_type: 'video' });
      expect(post.status).toBe(500);
      expectNoLeak(post.text);
      // Unaffected routes still work.
      expect((await t.http.get(`/api/jobs/${jobId}/assets`)).status).toBe(200);
    });

    it('answers 503 with Retry-After when the database is gone, naming no database or URL', async () => {
      const name = new URL(t.databaseUrl).pathname.slice(1);
      t.db.on('error', () => undefined); // its idle connections are terminated too
      await withAdminClient((client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
      for (const path of ['/api/jobs', `/api/jobs/${jobId}`]) {
        const res = await t.http.get(path);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
        expectNoLeak(res.text);
        expect(res.text).not.toContain(name);
      }
      const live = await t.http.get('/health/live');
      expect(live.status).toBe(200);
    });
  });
});
