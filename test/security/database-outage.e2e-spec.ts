import type { Json } from '../utils/fixtures';
import { freePort } from '../utils/free-port';
import { startOwnPostgres, type OwnPostgres } from '../utils/own-postgres';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '../utils/service-process';
import { startTcpProxy, type TcpProxy } from '../utils/tcp-proxy';
import { createTestDatabase } from '../utils/test-database';

const CONNECT_TIMEOUT_MS = 1000;
// The answer may take the acquire timeout plus scheduling on a busy machine, never more.
const ANSWER_WITHIN_MS = CONNECT_TIMEOUT_MS + 1500;

interface Timed {
  status: number;
  body: Json;
  headers: Headers;
  ms: number;
}

/**
 * A timed request to `service`. The client gives up well after any bound under test, so that a
 * hang shows as a slow answer, not a test timeout.
 */
async function timedCall(service: ServiceProcess, path: string, init: RequestInit, giveUpMs: number): Promise<Timed> {
  const started = Date.now();
  const res = await fetch(`${service.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(giveUpMs) });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    headers: res.headers,
    ms: Date.now() - started,
  };
}

const createBody = (mediaUrl: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ media_url: mediaUrl }),
});

/** The built service on `databaseUrl`, with a short acquire timeout and a small pool. */
async function startServiceOn(databaseUrl: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess(
    {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_POOL_MAX: '5',
      LOG_LEVEL: 'warn',
      ...env,
    },
    { inheritDatabase: true },
  );
}

describe('database outage: the service answers 503 while PostgreSQL is down and recovers by itself', () => {
  let postgres: OwnPostgres;
  let service: ServiceProcess;
  const acknowledged: string[] = [];

  const call = (path: string, init: RequestInit = {}) => timedCall(service, path, init, 15_000);
  const create = (n: number) => call('/api/media/audio', createBody(`https://cdn.example.com/outage/${n}.mp3`));

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    service = await startServiceOn(postgres.url);
  }, 60_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) await stopServiceProcess(service, 'SIGKILL');
    await postgres?.destroy();
  });

  it('acknowledges jobs while PostgreSQL is up', async () => {
    for (let n = 0; n < 10; n++) {
      const res = await create(n);
      expect(res.status).toBe(201);
      acknowledged.push(res.body.id);
    }
    expect((await call('/health')).status).toBe(200);
  });

  it('answers 503 with a clear error body within the connect timeout while PostgreSQL is down', async () => {
    await postgres.stop();
    // Several rounds: the pool's broken connections are discarded, new connects fail fast or time out.
    for (let round = 0; round < 3; round++) {
      const health = await call('/health');
      expect(health.status).toBe(503);
      // Up or down and nothing more: Terminus' error text would name the host, port or user.
      expect(health.body).toEqual({
        status: 'error',
        info: {},
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' } },
      });
      expect(JSON.stringify(health.body)).not.toContain(new URL(postgres.url).port);
      expect(health.ms).toBeLessThan(ANSWER_WITHIN_MS + 1000); // its own ping timeout is 2 s

      const answers = await Promise.all([
        create(100 + round),
        call('/api/jobs'),
        call(`/api/jobs/${acknowledged[0]}`),
        call('/api/jobs/claim', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        call(`/api/jobs/${acknowledged[1]}/assets`),
      ]);
      for (const res of answers) {
        expect({ status: res.status, body: res.body }).toEqual({
          status: 503,
          body: { statusCode: 503, error: 'Service Unavailable', message: 'Database unavailable, try again shortly' },
        });
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.ms).toBeLessThan(ANSWER_WITHIN_MS);
      }
      expect((await call('/health/live')).status).toBe(200);
    }
  }, 60_000);

  it('leaks no connection string, SQL or stack trace in those answers or in the log', async () => {
    const res = await call('/api/jobs');
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/postgres(ql)?:\/\/|SELECT|INSERT|at \w+ \(|ECONNREFUSED|127\.0\.0\.1/);
    expect(service.output()).not.toContain(new URL(postgres.url).password);
  });

  it('recovers by itself once PostgreSQL is back: health 200, requests 2xx, no restart', async () => {
    const pid = service.child.pid;
    await postgres.start();
    const deadline = Date.now() + 20_000;
    let health = await call('/health');
    while (health.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await call('/health');
    }
    expect(health.status).toBe(200);
    expect(health.body.details.database.status).toBe('up');
    const res = await create(200);
    expect(res.status).toBe(201);
    acknowledged.push(res.body.id);
    expect((await call('/api/jobs?limit=100')).status).toBe(200);
    expect(service.child.pid).toBe(pid);
    expect(service.child.exitCode).toBeNull();
  }, 60_000);

  it('still has every job it acknowledged, and nothing from the outage', async () => {
    for (const id of acknowledged) expect((await call(`/api/jobs/${id}`)).status).toBe(200);
    const list = await call('/api/jobs?limit=100');
    const urls = list.body.items.map((job: { media_url: string }) => job.media_url);
    expect(urls.filter((url: string) => /\/outage\/1\d\d\.mp3$/.test(url))).toEqual([]);
    expect(list.body.items).toHaveLength(acknowledged.length);
  });

  it('still shuts down cleanly', async () => {
    expect(await stopServiceProcess(service)).toEqual({ code: 0, signal: null });
  });
});

describe('network partition: PostgreSQL stops answering without closing or refusing anything', () => {
  const STATEMENT_TIMEOUT_MS = 2000;
  // A query on an open connection gives up after the statement timeout plus a connect timeout.
  const QUERY_GIVES_UP_MS = STATEMENT_TIMEOUT_MS + CONNECT_TIMEOUT_MS;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  const acknowledged: string[] = [];

  const call = (path: string, init: RequestInit = {}) => timedCall(service, path, init, 20_000);
  const create = (n: number) => call('/api/media/video', createBody(`https://cdn.example.com/partition/${n}.mp4`));

  beforeAll(async () => {
    const url = new URL(await createTestDatabase());
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    service = await startServiceOn(url.toString(), { DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) });
  }, 60_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) await stopServiceProcess(service, 'SIGKILL');
    await proxy?.close();
  });

  it('answers 503 within the statement timeout plus the connect timeout, on open and on new connections alike', async () => {
    // Concurrent creates leave several open connections in the pool.
    for (const res of await Promise.all([0, 1, 2, 3, 4].map(create))) {
      expect(res.status).toBe(201);
      acknowledged.push(res.body.id);
    }
    proxy.partition();
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all([
        create(100 + round),
        call('/api/jobs'),
        call(`/api/jobs/${acknowledged[0]}`),
        call('/api/media/video'),
      ]);
      for (const res of answers) {
        expect({ status: res.status, body: res.body }).toEqual({
          status: 503,
          body: { statusCode: 503, error: 'Service Unavailable', message: 'Database unavailable, try again shortly' },
        });
        expect(res.ms).toBeLessThan(QUERY_GIVES_UP_MS + 1500);
      }
      const health = await call('/health');
      expect({ status: health.status, body: health.body }).toEqual({
        status: 503,
        body: {
          status: 'error',
          info: {},
          error: { database: { status: 'down' } },
          details: { database: { status: 'down' } },
        },
      });
      expect(health.ms).toBeLessThan(2000 + 1500); // its own read timeout
    }
  }, 60_000);

  it('recovers by itself once the partition heals, with every acknowledged job', async () => {
    proxy.heal();
    const deadline = Date.now() + 20_000;
    let health = await call('/health');
    while (health.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await call('/health');
    }
    expect(health.status).toBe(200);
    // Every pooled connection is usable again (none was leaked by the partition).
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => create(200 + n)));
    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(201));
    for (const id of acknowledged) expect((await call(`/api/jobs/${id}`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
  }, 60_000);
});
