import { Pool } from 'pg';
import type { TestApp } from '../utils/test-app';
import { createJob, insertJobs, sleep, startApi } from '../utils/fixtures';
import { openSse, parsed, type SseStream } from '../utils/sse-client';
import { startTcpProxy, type TcpProxy } from '../utils/tcp-proxy';
import { createTestDatabase } from '../utils/test-database';

// Event delivery waits for the server-wide xmin horizon, which a long transaction of another
// test or benchmark on the same PostgreSQL may hold back: slow then, never wrong.
jest.setTimeout(180_000);

/**
 * A database outage while streams are open: an open stream stays open and, once the database
 * answers again, delivers everything committed meanwhile without loss or repeat; a new stream
 * asked for during the outage is a clear 503, not a hanging request.
 */
describe('event streams through a database outage (network partition)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let direct: Pool;
  let stream: SseStream;
  beforeAll(async () => {
    const real = await createTestDatabase();
    direct = new Pool({ connectionString: real, max: 2 });
    const url = new URL(real);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    t = await startApi({
      databaseUrl: url.toString(),
      env: { DB_STATEMENT_TIMEOUT_MS: '1000', DB_CONNECT_TIMEOUT_MS: '500', LEASE_SWEEP_INTERVAL_MS: '3600000' },
    });
  }, 180_000);
  afterAll(async () => {
    stream?.close();
    proxy?.heal();
    await t?.close();
    await direct?.end();
    await proxy?.close();
  });

  it('keeps the open stream and delivers every event committed during the outage once it ends', async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    stream = await openSse(`http://127.0.0.1:${port}/api/events/stream`);
    await stream.waitFor((s) => s.comments.includes('connected'));
    const before = await createJob(t, 'video');
    await stream.waitFor((s) => s.events.length === 1);

    proxy.partition();
    const during = await insertJobs(direct, [{}, {}, {}]);
    // A new stream cannot start without the database: a 503 within the read timeout.
    const started = Date.now();
    const refused = await openSse(`http://127.0.0.1:${port}/api/events/stream?after=1`);
    expect(refused.status).toBe(503);
    await refused.ended;
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(Date.now() - started).toBeLessThan(5000);
    await sleep(500);
    expect(stream.events).toHaveLength(1);

    proxy.heal();
    await stream.waitFor((s) => s.events.length >= 4, 60_000);
    const after = await createJob(t, 'audio');
    await stream.waitFor((s) => parsed(s).some((event) => event.job_id === after.id), 60_000);
    await sleep(200);
    expect(parsed(stream).map((event) => event.job_id)).toEqual([before.id, ...during, after.id]);
  }, 180_000);
});
