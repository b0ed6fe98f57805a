import type { TestApp } from '../utils/test-app';
import { createJob, expectError, expectNoChange, startApi } from '../utils/fixtures';

/** `depth` arrays nested inside each other around `inner`, as JSON text (built without recursion). */
function nestedArrays(depth: number, inner = '1'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

/** `depth` objects {"a": …} nested inside each other around `inner`, as JSON text. */
function nestedObjects(depth: number, inner = '1'): string {
  return '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}

/**
 * Hostile request JSON and query strings: every one is a 400 naming the field, never a 500, and
 * writes nothing (issue 17: a 20,000-deep body answered 500, 1e400 was stored as null, and
 * `?__proto__=1` was silently accepted).
 */
describe('hostile input', () => {
  let t: TestApp;
  let jobId: string;
  beforeAll(async () => {
    t = await startApi();
    jobId = (await createJob(t)).id;
  });
  afterAll(() => t.close());

  const post = (path: string, json: string) =>
    expectNoChange(t.db, () => t.http.post(path).set('Content-Type', 'application/json').send(json));

  it.each([
    ['arrays 20,000 deep', nestedArrays(20_000)],
    ['objects 20,000 deep', nestedObjects(20_000)],
    ['arrays 100,000 deep', nestedArrays(100_000)],
  ])('rejects parameters nesting %s with a 400 naming the field', async (_name, deep) => {
    const res = await post('/api/media/video', `{"media_url":"https://cdn.example.com/a.mp4","parameters":${deep}}`);
    expectError(res, 400, /parameters.*(deep|nest)/);
  });

  it('rejects deep JSON in every body it can reach: child rows, actions and the body root', async () => {
    expectError(
      await post(`/api/jobs/${jobId}/analysis-results`, `{"analysis_type":"video","result":${nestedObjects(20_000)}}`),
      400,
      /result/,
    );
    expectError(
      await post(
        `/api/jobs/${jobId}/assets`,
        `{"asset_type":"frame","file_path":"s3://b/f","metadata":${nestedArrays(20_000)}}`,
      ),
      400,
      /metadata/,
    );
    expectError(await post(`/api/jobs/${jobId}/start`, nestedArrays(20_000)), 400, /(deep|nest)/);
    expectError(await post('/api/jobs/claim', `{"worker_id":${nestedArrays(20_000)}}`), 400, /worker_id/);
  });

  it('keeps nesting up to the limit: 32 levels of parameters are stored and answered intact', async () => {
    const parameters = JSON.parse(nestedObjects(31, '{"depth":32}'));
    const res = await t.http.post('/api/media/video').send({ media_url: 'https://cdn.example.com/a.mp4', parameters });
    expect(res.status).toBe(201);
    expect(res.body.parameters).toEqual(parameters);
  });

  it.each([
    ['1e400', 'parameters.x'],
    ['-1e400', 'parameters.x'],
    ['[1, 2, 1e999]', 'parameters.x.2'],
  ])('rejects a number JSON.parse turns into ±Infinity (%s), naming the field', async (number, field) => {
    const res = await post(
      '/api/media/video',
      `{"media_url":"https://cdn.example.com/a.mp4","parameters":{"x":${number}}}`,
    );
    expectError(res, 400, `${field} must be a finite number`);
  });

  it('rejects a non-finite number in a top-level field and in a child body', async () => {
    expectError(
      await post('/api/media/video', '{"media_url":"https://cdn.example.com/a.mp4","priority":1e400}'),
      400,
      'priority must be a finite number',
    );
    expectError(
      await post(`/api/jobs/${jobId}/assets`, '{"asset_type":"frame","file_path":"s3://b/f","file_size_bytes":1e309}'),
      400,
      'file_size_bytes must be a finite number',
    );
  });

  it.each(['__proto__', 'constructor', 'prototype', 'unknown'])(
    'rejects the unknown query parameter %s on a list, naming it',
    async (name) => {
      for (const path of ['/api/jobs', '/api/media/video', `/api/jobs/${jobId}/assets`]) {
        expectError(await t.http.get(`${path}?${name}=1`), 400, name);
      }
    },
  );

  it.each(['__proto__', 'constructor', 'unknown'])(
    'rejects the unknown query parameter %s where a route takes no query at all, naming it',
    async (name) => {
      expectError(await t.http.get(`/api/jobs/${jobId}?${name}=1`), 400, name);
      const res = await expectNoChange(t.db, () => t.http.post(`/api/jobs/${jobId}/start?${name}=1`));
      expectError(res, 400, name);
    },
  );
});
