import crypto from 'node:crypto';
import { API_ENDPOINTS, type PathIds } from '../utils/api-endpoints';
import { expectError, expectNoChange, startApi, UNKNOWN_ID } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

const KEY_ONE = 'k1-Q2hhbmdlTWUtT25lLVNlY3JldA-0123456';
const KEY_TWO = 'k2-QW5vdGhlci1TZWNyZXQtS2V5-012345678';
const MISSING_KEY = /Missing or invalid API key/;

describe('access: API_KEYS guards /api, /docs and /metrics', () => {
  let t: TestApp;
  let ids: PathIds;

  beforeAll(async () => {
    // Spaces around the comma: keys are trimmed.
    t = await startApi({ env: { API_KEYS: ` ${KEY_ONE} , ${KEY_TWO}` } });
    const auth = { Authorization: `Bearer ${KEY_ONE}` };
    const job = await t.http
      .post('/api/media/video')
      .set(auth)
      .send({ media_url: 'https://cdn.example.com/a.mp4' })
      .expect(201);
    const asset = await t.http
      .post(`/api/jobs/${job.body.id}/assets`)
      .set(auth)
      .send({ asset_type: 'frame', file_path: 's3://b/f.jpg' })
      .expect(201);
    const transcription = await t.http
      .post(`/api/jobs/${job.body.id}/transcriptions`)
      .set(auth)
      .send({ provider: 'groq', text_content: 'hi' })
      .expect(201);
    const result = await t.http
      .post(`/api/jobs/${job.body.id}/analysis-results`)
      .set(auth)
      .send({ analysis_type: 'video' })
      .expect(201);
    ids = { job: job.body.id, asset: asset.body.id, transcription: transcription.body.id, result: result.body.id };
  });
  afterAll(() => t.close());

  describe.each(API_ENDPOINTS.map((endpoint) => [`${endpoint.method} ${endpoint.route}`, endpoint] as const))(
    '%s',
    (_name, endpoint) => {
      const send = (headers: Record<string, string>) => {
        const req = t.http[endpoint.method.toLowerCase() as 'get' | 'post' | 'delete'](endpoint.path(ids)).set(headers);
        return endpoint.body ? req.send(endpoint.body) : req;
      };

      it('answers 401 with the error body and WWW-Authenticate without a key, and changes nothing', async () => {
        const res = await expectNoChange(t.db, () => send({}));
        expectError(res, 401, MISSING_KEY);
        expect(res.body.error).toBe('Unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      });

      it('answers 401 to a wrong key in either header, and changes nothing', async () => {
        for (const headers of [
          { Authorization: `Bearer ${KEY_ONE}x` } as Record<string, string>,
          { Authorization: `Bearer ${KEY_ONE.slice(0, -1)}` },
          { 'X-API-Key': 'not-a-key' },
          { Authorization: `Basic ${Buffer.from(`user:${KEY_ONE}`).toString('base64')}` },
          { Authorization: KEY_ONE },
        ]) {
          const res = await expectNoChange(t.db, () => send(headers));
          expectError(res, 401, MISSING_KEY);
        }
      });
    },
  );

  it('lets a valid key through either header (any configured key, scheme in any case)', async () => {
    for (const headers of [
      { Authorization: `Bearer ${KEY_ONE}` } as Record<string, string>,
      { Authorization: `bearer ${KEY_TWO}` },
      { 'X-API-Key': KEY_TWO },
      { 'X-API-Key': KEY_ONE, Authorization: 'Basic Zm9vOmJhcg==' },
    ]) {
      await t.http.get('/api/jobs').set(headers).expect(200);
      await t.http.get(`/api/jobs/${ids.job}`).set(headers).expect(200);
      // Past the guard, the request meets the usual validation and lookups.
      expectError(await t.http.get(`/api/jobs/${UNKNOWN_ID}`).set(headers), 404);
      expectError(await t.http.get('/api/jobs/not-a-uuid').set(headers), 400);
    }
    await t.http
      .post('/api/media/audio')
      .set({ 'X-API-Key': KEY_TWO })
      .send({ media_url: 'https://cdn.example.com/b.mp3' })
      .expect(201);
  });

  it('keeps /health and /health/live open', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    await t.http.get('/health').expect(200);
    await t.http.get('/health/live?x=1').set('Authorization', 'Bearer wrong').expect(200);
  });

  it('guards /docs, /docs-json, the Swagger UI assets and /metrics with the same rule', async () => {
    for (const path of [
      '/docs',
      '/docs/',
      '/docs-json',
      '/docs-yaml',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-init.js',
      '/metrics',
    ]) {
      const res = await t.http.get(path);
      expectError(res, 401, MISSING_KEY);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expectError(await t.http.get(path).set('X-API-Key', 'wrong'), 401);
    }
    const ui = await t.http.get('/docs').set('X-API-Key', KEY_ONE).redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs-json').set('Authorization', `Bearer ${KEY_TWO}`).expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    await t.http.get('/docs/swagger-ui.css').set('X-API-Key', KEY_ONE).expect(200);
    await t.http.get('/metrics').set('X-API-Key', KEY_ONE).expect(200);
  });

  it('checks the key before reading the body: a keyless client gets 401, not 400, 413 or 415', async () => {
    const keyless = [
      ['malformed JSON', 'application/json', '{"media_url":'],
      ['a form body', 'application/x-www-form-urlencoded', 'media_url=x'],
      ['text', 'text/plain', 'hello'],
      ['a body over the limit', 'application/json', JSON.stringify({ prompt: 'x'.repeat(1024 * 1024 + 10) })],
      ['JSON nested too deep', 'application/json', '['.repeat(5000) + ']'.repeat(5000)],
    ];
    for (const [, type, body] of keyless) {
      const res = await expectNoChange(t.db, () =>
        t.http.post('/api/media/video').set('Content-Type', type).set('X-API-Key', 'wrong').send(body),
      );
      expectError(res, 401, MISSING_KEY);
    }
    // With a key, the same bodies meet the usual parsing errors.
    const keyed = (type: string, body: string) =>
      t.http.post('/api/media/video').set('Content-Type', type).set('X-API-Key', KEY_ONE).send(body);
    expectError(await keyed('application/json', '{"media_url":'), 400);
    expectError(await keyed('text/plain', 'hello'), 415);
    // An unknown query parameter too: the key comes first.
    expectError(await t.http.get('/api/jobs?__proto__=1'), 401, MISSING_KEY);
  });

  it('guards HEAD as it guards GET', async () => {
    for (const path of ['/api/jobs', `/api/jobs/${'00000000-0000-4000-8000-000000000000'}`, '/docs-json', '/metrics']) {
      expect((await t.http.head(path)).status).toBe(401);
    }
    expect((await t.http.head('/api/jobs').set('X-API-Key', KEY_ONE)).status).toBe(200);
    expect((await t.http.head('/health/live')).status).toBe(200);
  });

  it('answers an unknown route 404 either way (no route, nothing to guard)', async () => {
    expectError(await t.http.get('/api/nothing-here').set('X-API-Key', KEY_ONE), 404);
  });

  it('compares keys in constant time: SHA-256 digests through crypto.timingSafeEqual, against every key', async () => {
    // The module object itself (a namespace import would be a copy the service never calls).
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      await t.http.get('/api/jobs').set('X-API-Key', 'x').expect(401);
      await t.http.get('/api/jobs').set('X-API-Key', KEY_ONE).expect(200);
      // Every comparison is between two 32-byte digests, never between the raw (unequal-length) keys;
      // the wrong key was compared with both configured keys, the right one too (no early exit).
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(4);
      for (const [a, b] of spy.mock.calls) {
        expect((a as Buffer).length).toBe(32);
        expect((b as Buffer).length).toBe(32);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('access: without API_KEYS (development and test)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());

  it('leaves every route open', async () => {
    await t.http.get('/api/jobs').expect(200);
    await t.http.post('/api/media/video').send({ media_url: 'https://cdn.example.com/a.mp4' }).expect(201);
    await t.http.get('/docs-json').expect(200);
    await t.http.get('/health').expect(200);
  });
});
