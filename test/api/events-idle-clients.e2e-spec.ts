import { EventStreamHub } from '../../src/events/event-stream.hub';
import type { TestApp } from '../utils/test-app';
import { createJob, startApi } from '../utils/fixtures';
import { openSse, parsed, type SseStream } from '../utils/sse-client';

const CLIENTS = 1000;
const POOL_MAX = 10;

// Event delivery waits for the server-wide xmin horizon, which a long transaction of another
// test or benchmark on the same PostgreSQL may hold back: slow then, never wrong.
jest.setTimeout(180_000);

/** 1,000 idle stream clients on one instance cost the database no connection of their own. */
describe('events: 1,000 idle stream clients on one instance', () => {
  let t: TestApp;
  const streams: SseStream[] = [];
  beforeAll(async () => {
    t = await startApi({ env: { DB_POOL_MAX: String(POOL_MAX), LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await t?.close();
  });

  const serviceConnections = async (): Promise<number> => {
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'media-analysis-api%'`,
    );
    return rows[0].n;
  };

  it('holds them with at most the pool and the one LISTEN connection, and wakes them all with one fetch', async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    for (let batch = 0; batch < CLIENTS / 100; batch++) {
      const opened = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          openSse(`http://127.0.0.1:${port}/api/events/stream${i % 2 ? '?type=job.created' : '?job_type=audio'}`),
        ),
      );
      streams.push(...opened);
    }
    await Promise.all(streams.map((stream) => stream.waitFor((s) => s.comments.includes('connected'), 60_000)));
    expect(streams.every((stream) => stream.status === 200)).toBe(true);
    expect(t.app.get(EventStreamHub).clientCount).toBe(CLIENTS);

    const idle = await serviceConnections();
    expect(idle).toBeLessThanOrEqual(POOL_MAX + 1);

    const job = await createJob(t, 'audio');
    await Promise.all(
      streams.map((stream) => stream.waitFor((s) => parsed(s).some((event) => event.job_id === job.id), 60_000)),
    );
    expect(await serviceConnections()).toBeLessThanOrEqual(POOL_MAX + 1);
    console.log(`${CLIENTS} stream clients: ${idle} service connections idle (pool max ${POOL_MAX} + 1 LISTEN)`);
  });
});
