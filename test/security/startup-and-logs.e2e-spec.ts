import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../utils/free-port';
import { runServiceToExit } from '../utils/service-exit';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '../utils/service-process';
import { createTestDatabase } from '../utils/test-database';

const KEY = 'live-key-7b1f0c2e9a4d4c8b-3e5a9f0c1d2b';
const OTHER_KEY = 'second-key-5e6f7a8b9c0d-1a2b3c4d5e6f';
const WRONG_KEY = 'typo-key-0123456789abcdef';

describe('production start: refuses to run open by accident', () => {
  it('exits 1 naming API_KEYS when NODE_ENV=production has no API_KEYS and no AUTH_DISABLED', async () => {
    const result = await runServiceToExit({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATABASE_URL: 'postgresql://u:secret-pw@127.0.0.1:1/db',
    });
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.output).toContain('Invalid environment configuration');
    expect(result.output).toContain('API_KEYS must be set when NODE_ENV=production');
    expect(result.output).toContain('AUTH_DISABLED=true');
    // It refused before touching the database, and printed no configuration value.
    expect(result.output).not.toContain('secret-pw');
  });

  it('refuses an empty or blank API_KEYS the same way, and AUTH_DISABLED=false', async () => {
    for (const env of [{ API_KEYS: '' }, { API_KEYS: ' , ' }, { AUTH_DISABLED: 'false' }] as Record<string, string>[]) {
      const result = await runServiceToExit({ NODE_ENV: 'production', PORT: String(await freePort()), ...env });
      expect(result).toMatchObject({ code: 1, signal: null });
      expect(result.output).toContain('API_KEYS must be set when NODE_ENV=production');
    }
  });

  it('exits 1 naming DATABASE_URL when a production start has no database, starting no embedded PostgreSQL', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'ma-prod-nodb-')), 'postgres');
    const result = await runServiceToExit({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      API_KEYS: KEY,
      EMBEDDED_PG_DATA_DIR: dataDir,
    });
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.output).toContain(
      'DATABASE_URL (or DB_HOST) must be set when NODE_ENV=production: the embedded PostgreSQL is for development only',
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses the placeholder key of .env.example and short keys, printing neither', async () => {
    const database = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://u@127.0.0.1:1/db' };
    const placeholder = await runServiceToExit({
      ...database,
      PORT: String(await freePort()),
      API_KEYS: `${KEY},replace-with-a-long-random-key`,
    });
    expect(placeholder).toMatchObject({ code: 1, signal: null });
    expect(placeholder.output).toContain('API_KEYS holds the placeholder of .env.example');
    const short = await runServiceToExit({ ...database, PORT: String(await freePort()), API_KEYS: 'short-key-9f8e7d' });
    expect(short).toMatchObject({ code: 1, signal: null });
    expect(short.output).toContain('every key must be at least 32 characters');
    expect(short.output).not.toContain('short-key-9f8e7d');
  });

  it('binds to 127.0.0.1 when HOST is not set', async () => {
    const service = await startServiceProcess(
      { NODE_ENV: 'test', PORT: String(await freePort()), HOST: '', DATABASE_URL: await createTestDatabase() },
      { inheritDatabase: true },
    );
    try {
      const port = new URL(service.baseUrl).port;
      expect(service.output()).toContain(`listening on http://127.0.0.1:${port}`);
    } finally {
      expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
    }
  });

  it('names no database password when the database cannot be reached at start', async () => {
    const port = await freePort(); // nothing listens there
    const result = await runServiceToExit({
      NODE_ENV: 'test',
      PORT: String(await freePort()),
      DATABASE_URL: `postgresql://app:db-pass-4f9c2a@127.0.0.1:${port}/media`,
      DB_CONNECT_TIMEOUT_MS: '500',
    });
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.output).toContain('ECONNREFUSED');
    expect(result.output).not.toContain('db-pass-4f9c2a');
  });

  it('starts in production with AUTH_DISABLED=true, says so, and leaves /api open', async () => {
    const service = await startServiceProcess(
      {
        NODE_ENV: 'production',
        AUTH_DISABLED: 'true',
        PORT: String(await freePort()),
        DATABASE_URL: await createTestDatabase(),
      },
      { inheritDatabase: true },
    );
    try {
      expect(
        (await fetch(`${service.baseUrl}/api/jobs`, { headers: { 'x-request-id': 'flush-check-1' } })).status,
      ).toBe(200);
      expect(service.output()).toContain('API key authentication off');
      // Log lines are written in batches: a lone request's line still appears within a second,
      // while the service runs (not only when it exits).
      const deadline = Date.now() + 1000;
      while (!service.output().includes('flush-check-1') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(service.output()).toContain('"reqId":"flush-check-1"');
    } finally {
      expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
    }
  });
});

describe('logs: keys never appear, whatever the request', () => {
  let service: ServiceProcess;
  let stopped: { code: number | null; signal: NodeJS.Signals | null };

  beforeAll(async () => {
    service = await startServiceProcess(
      {
        NODE_ENV: 'production',
        API_KEYS: `${KEY},${OTHER_KEY}`,
        LOG_LEVEL: 'trace',
        PORT: String(await freePort()),
        DATABASE_URL: await createTestDatabase(),
      },
      { inheritDatabase: true },
    );
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${service.baseUrl}${path}`, init).then((res) => res.arrayBuffer().then(() => res.status));
    const json = { 'content-type': 'application/json' };
    const statuses = [
      await call('/api/jobs', { headers: { authorization: `Bearer ${KEY}`, 'x-request-id': 'log-check-1' } }),
      await call('/api/jobs', { headers: { 'x-api-key': OTHER_KEY } }),
      await call('/api/jobs', { headers: { authorization: `Bearer ${WRONG_KEY}` } }),
      await call('/api/jobs', { headers: { 'x-api-key': WRONG_KEY } }),
      await call('/docs-json', { headers: { 'x-api-key': WRONG_KEY } }),
      await call('/docs-json', { headers: { 'x-api-key': KEY } }),
      await call('/api/media/video', {
        method: 'POST',
        headers: { ...json, 'x-api-key': KEY },
        body: JSON.stringify({ media_url: 'https://cdn.example.com/a.mp4' }),
      }),
      // Validation errors and malformed JSON: the key must not leak through error logging either.
      await call('/api/media/video', {
        method: 'POST',
        headers: { ...json, 'x-api-key': KEY },
        body: JSON.stringify({ media_url: KEY }),
      }),
      await call('/api/media/video', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${KEY}` },
        body: '{"media_url":',
      }),
      await call('/api/jobs/not-a-uuid', { headers: { authorization: `Bearer ${KEY}` } }),
    ];
    expect(statuses).toEqual([200, 200, 401, 401, 401, 200, 201, 400, 400, 400]);
    stopped = await stopServiceProcess(service);
  });

  it('logged the requests (so the next assertion is not vacuous)', () => {
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(service.output()).toContain('log-check-1');
    expect(service.output()).toContain('API key authentication on (2 key(s))');
  });

  it('contains neither the configured keys nor a wrong key presented by a client', () => {
    const output = service.output();
    for (const secret of [KEY, OTHER_KEY, WRONG_KEY]) expect(output).not.toContain(secret);
  });
});
