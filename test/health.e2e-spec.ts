import { SqlService } from '../src/database/sql.service';
import { startTestApp, type TestApp } from './utils/test-app';

describe('health and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DB_POOL_MAX: '2' } });
  });
  afterAll(() => t.close());

  it('GET /health reports the database up', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
  });

  it('GET /health is the report and nothing more: no host, port, user or timing', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('stays 200 while every pooled connection is busy: the probe has a connection of its own', async () => {
    const sql = t.app.get(SqlService);
    const busy = [0, 1].map((n) => sql.query({ name: `health.busy${n}`, text: 'SELECT pg_sleep(3.5)' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sql.poolStats()).toMatchObject({ total: 2, idle: 0 });
    const started = Date.now();
    const res = await t.http.get('/health');
    expect({ status: res.status, database: res.body.details?.database }).toEqual({
      status: 200,
      database: { status: 'up' },
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await Promise.all(busy);
  });

  it('GET /health/live answers 200', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await t.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/live', '/api/jobs', '/api/media/video']),
    );
  });

  it('echoes X-Request-Id, or makes one', async () => {
    const echoed = await t.http.get('/health/live').set('X-Request-Id', 'trace-abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-abc-123');
    const generated = await t.http.get('/health/live').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
