import { BODY_LIMIT_BYTES } from '../../src/http/fastify-adapter';
import { createJob, expectError, expectNoChange, snapshot, startApi } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

const baseUrl = (t: TestApp) => `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;

/** A JSON transcription body of exactly `bytes` bytes. */
function transcriptionOfSize(bytes: number): string {
  const empty = JSON.stringify({ provider: 'openai', text_content: '' });
  return JSON.stringify({ provider: 'openai', text_content: 'a'.repeat(bytes - empty.length) });
}

describe('limits: body size', () => {
  let t: TestApp;
  let jobId: string;
  beforeAll(async () => {
    t = await startApi();
    jobId = (await createJob(t)).id;
  });
  afterAll(() => t.close());

  it('accepts a body of exactly 1 MiB', async () => {
    const body = transcriptionOfSize(BODY_LIMIT_BYTES);
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    const res = await t.http
      .post(`/api/jobs/${jobId}/transcriptions`)
      .set('content-type', 'application/json')
      .send(body)
      .expect(201);
    expect(res.body).toMatchObject({ job_id: jobId, provider: 'openai', text_content: JSON.parse(body).text_content });
    const { rows } = await t.db.query('SELECT length(text_content) AS n FROM transcriptions WHERE id = $1', [
      res.body.id,
    ]);
    expect(rows[0].n).toBe(JSON.parse(body).text_content.length);
  });

  it('answers 413 with the error body to 1 MiB + 1 byte, and stores nothing', async () => {
    const body = transcriptionOfSize(BODY_LIMIT_BYTES + 1);
    const res = await expectNoChange(t.db, () =>
      t.http.post(`/api/jobs/${jobId}/transcriptions`).set('content-type', 'application/json').send(body),
    );
    expectError(res, 413);
    expect(res.body.error).toBe('Payload Too Large');
  });

  it('answers 413 to an oversized chunked body (no Content-Length), and stores nothing', async () => {
    const before = await snapshot(t.db);
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"provider":"openai","text_content":"'));
      },
      pull(controller) {
        // 2 MiB in 64 KiB chunks; the server may stop reading (and answer) long before.
        if (sent >= 2 * BODY_LIMIT_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${baseUrl(t)}/api/media/video`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('answers 413 to a declared Content-Length over the limit before reading the body', async () => {
    const res = await t.http
      .post('/api/media/video')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ media_url: 'https://cdn.example.com/a.mp4', prompt: 'x'.repeat(BODY_LIMIT_BYTES) }));
    expectError(res, 413);
  });
});

const KEY_A = 'key-a-0123456789abcdef0123456789abcdef';
const KEY_B = 'key-b-0123456789abcdef0123456789abcdef';
const CORS_KEY = 'cors-key-0123456789abcdef0123456789abcdef';

describe('limits: rate limit per API key, else per client IP', () => {
  const LIMIT = 5;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), API_KEYS: `${KEY_A},${KEY_B}` } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and the error body once a key used its requests, across routes', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await t.http.get(i % 2 ? '/api/jobs' : '/api/media/audio').set('X-API-Key', KEY_A);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(res.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i - 1));
    }
    // The same key through the other header is the same client; a write is limited too, and not performed.
    const res = await expectNoChange(t.db, () =>
      t.http
        .post('/api/media/video')
        .set('Authorization', `Bearer ${KEY_A}`)
        .send({ media_url: 'https://cdn.example.com/a.mp4' }),
    );
    expectError(res, 429, /Rate limit exceeded: at most 5 requests per minute/);
    expect(res.body.error).toBe('Too Many Requests');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('gives every key its own budget', async () => {
    await t.http.get('/api/jobs').set('X-API-Key', KEY_B).expect(200);
  });

  it('counts requests without a valid key per IP (slowing down key guessing), and then answers 429', async () => {
    for (let i = 0; i < LIMIT; i++) expectError(await t.http.get('/api/jobs').set('X-API-Key', `guess-${i}`), 401);
    const res = await t.http.get('/api/jobs').set('X-API-Key', 'guess-again');
    expectError(res, 429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('counts keyless requests with bad bodies before parsing them: 401, then 429', async () => {
    const t2 = await startApi({
      databaseUrl: t.databaseUrl,
      env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), API_KEYS: `${KEY_A},${KEY_B}` },
    });
    try {
      for (let i = 0; i < LIMIT; i++) {
        const res = await t2.http.post('/api/media/video').set('Content-Type', 'text/plain').send('{"x":');
        expectError(res, 401, /Missing or invalid API key/);
      }
      expectError(await t2.http.post('/api/media/video').set('Content-Type', 'application/json').send('{'), 429);
    } finally {
      await t2.close();
    }
  });

  it('limits key guessing on /docs and /docs-json like /api, sharing the same budget', async () => {
    const t2 = await startApi({
      databaseUrl: t.databaseUrl,
      env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), API_KEYS: `${KEY_A},${KEY_B}` },
    });
    try {
      for (let i = 0; i < LIMIT; i++) {
        expectError(await t2.http.get(i % 2 ? '/docs-json' : '/docs/').set('X-API-Key', `guess-${i}`), 401);
      }
      const res = await t2.http.get('/docs-json').set('X-API-Key', 'guess-again');
      expectError(res, 429, /Rate limit exceeded/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expectError(await t2.http.get('/api/jobs').set('X-API-Key', 'guess-again'), 429);
      // A valid key is its own client, on /docs too.
      const ok = await t2.http.get('/docs-json').set('X-API-Key', KEY_B).expect(200);
      expect(ok.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    } finally {
      await t2.close();
    }
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < LIMIT * 3; i++) {
      const res = await t.http.get(i % 2 ? '/health/live' : '/health').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('limits: RATE_LIMIT_PER_MINUTE=0 (the default) turns the limit off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t.close());

  it('answers 60 requests in a row without 429 or rate-limit headers', async () => {
    for (let i = 0; i < 60; i++) {
      const res = await t.http.get('/api/jobs').expect(200);
      expect(res.body).toEqual({ items: expect.any(Array), next_cursor: null });
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('security headers (helmet) and CORS', () => {
  let open: TestApp;
  let cors: TestApp;
  beforeAll(async () => {
    open = await startApi();
    cors = await startApi({
      env: { CORS_ORIGINS: 'https://app.example.com, https://admin.example.com', API_KEYS: CORS_KEY },
    });
  });
  afterAll(async () => {
    await open.close();
    await cors.close();
  });

  it('sends the API security headers on every kind of API answer', async () => {
    const answers = [
      await open.http.get('/api/jobs'),
      await open.http.get('/api/jobs/not-a-uuid'),
      await open.http.get('/api/nowhere'),
      await open.http.get('/health/live'),
      await open.http.get('/metrics'),
      await open.http.get('/docs-json'),
      await cors.http.get('/api/jobs'), // 401
    ];
    for (const res of answers) {
      expect(res.headers).toMatchObject({
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cross-origin-resource-policy': 'same-origin',
      });
      // Headers that only act on rendered documents stay on the pages.
      expect(res.headers['x-xss-protection']).toBeUndefined();
      expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it("sends helmet's full set on the pages: Swagger UI and the dashboard, with what they load", async () => {
    const pages = [
      await open.http.get('/docs'),
      await open.http.get('/docs/swagger-ui.css'),
      await open.http.get('/ui/'),
      await open.http.get('/ui'),
    ];
    for (const res of pages) {
      expect(res.headers).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('keeps Swagger UI working under the CSP: its scripts are same-origin files, its inline styles and data: images allowed', async () => {
    const ui = await open.http.get('/docs').expect(200);
    const csp = ui.headers['content-security-policy'] as string;
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toContain("'self'");
    expect(directive('style-src')).toContain("'unsafe-inline'");
    expect(directive('img-src')).toContain('data:');
    // Plain-HTTP deployments: upgrading /docs' own requests to https would break the page.
    expect(csp).not.toContain('upgrade-insecure-requests');
    // No inline script (which script-src 'self' would block): every script is a file under /docs.
    const scripts = [...ui.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)?.[1] ?? '';
      expect(src).not.toMatch(/^(https?:)?\/\//);
      await open.http.get(new URL(src, 'http://localhost/docs').pathname).expect(200);
    }
  });

  it('answers no CORS headers when CORS_ORIGINS is not set', async () => {
    const res = await open.http.get('/api/jobs').set('Origin', 'https://app.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await open.http
      .options('/api/jobs')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from a listed origin without a key, allowing the headers the API uses', async () => {
    const res = await cors.http
      .options('/api/media/video')
      .set('Origin', 'https://admin.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://admin.example.com');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers'].toLowerCase()).toEqual(expect.stringContaining('authorization'));
    expect(res.headers['access-control-allow-headers'].toLowerCase()).toEqual(
      expect.stringContaining('idempotency-key'),
    );
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows a listed origin to read answers (401s included) and Location, and no other origin', async () => {
    const ok = await cors.http
      .post('/api/media/video')
      .set('Origin', 'https://app.example.com')
      .set('X-API-Key', CORS_KEY)
      .send({ media_url: 'https://cdn.example.com/a.mp4' });
    expect(ok.status).toBe(201);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-expose-headers']).toContain('Location');
    const denied = await cors.http.get('/api/jobs').set('Origin', 'https://app.example.com');
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe('https://app.example.com');

    const other = await cors.http.get('/api/jobs').set('Origin', 'https://evil.example.net').set('X-API-Key', CORS_KEY);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const otherPreflight = await cors.http
      .options('/api/jobs')
      .set('Origin', 'https://evil.example.net')
      .set('Access-Control-Request-Method', 'GET');
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
