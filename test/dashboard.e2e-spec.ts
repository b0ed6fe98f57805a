import type { TestApp } from './utils/test-app';
import { startApi } from './utils/fixtures';

/** The dashboard's files as the service serves them (the pages themselves: test/browser). */
describe('GET /ui', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApi({ env: { API_KEYS: 'dashboard-key-0123456789abcdef0123456789' } })));
  afterAll(async () => t?.close());

  it('serves /ui without a key, /api still needs one', async () => {
    const page = await t.http.get('/ui/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="app"></div>');
    expect((await t.http.get('/api/stats')).status).toBe(401);
    expect((await t.http.get('/api/stats').set('X-API-Key', 'dashboard-key-0123456789abcdef0123456789')).status).toBe(
      200,
    );
  });

  it('redirects /ui to /ui/', async () => {
    const res = await t.http.get('/ui');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/ui/');
  });

  it('revalidates the page, caches hashed bundles for a year, sends them pre-compressed', async () => {
    const page = await t.http.get('/ui/');
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script type="module" crossorigin src="(\/ui\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    for (const encoding of ['br', 'gzip']) {
      const res = await t.http
        .get(script!)
        .set('Accept-Encoding', encoding)
        .buffer(true)
        .parse((r, done) => {
          r.on('data', () => undefined);
          r.on('end', () => done(null, null));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
    }
  });

  it('sends the security headers with the page: scripts only from the service itself', async () => {
    const page = await t.http.get('/ui/');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for a file that is not there', async () => {
    expect((await t.http.get('/ui/assets/missing-123.js')).status).toBe(404);
  });
});
