import type { TestApp } from '../utils/test-app';
import { startApi } from '../utils/fixtures';

const JOBS = 20_000;
const WORKERS = 8;

interface WorkerLog {
  claimed: string[];
  failedAgain: number;
}

/**
 * A worker: claim, and fail every tenth job again at once (a job failed after the bulk retry
 * passed it must not be retried a second time); the others stay processing. Runs until the bulk
 * retry has finished and a claim finds nothing left.
 */
async function worker(base: string, name: string, bulkDone: () => boolean, log: WorkerLog): Promise<void> {
  // fetch keeps its connections alive: a worker's loop, not a connection per request.
  const post = (path: string, body: object) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const finished = bulkDone(); // read before claiming: a 204 after the bulk ended means nothing is left
    const claim = await post('/api/jobs/claim', { worker_id: name, lease_seconds: 600 });
    if (claim.status === 204) {
      if (finished) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    expect(claim.status).toBe(200);
    const { id } = (await claim.json()) as { id: string };
    log.claimed.push(id);
    if (log.claimed.length % 10 === 0) {
      const fail = await post(`/api/jobs/${id}/fail`, { worker_id: name, error: 'failed again' });
      expect(fail.status).toBe(200);
      log.failedAgain++;
    }
  }
  throw new Error(`${name} did not finish in time`);
}

describe('bulk retry of 20,000 failed jobs while 8 workers claim', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApi({ env: { DB_POOL_MAX: '20', LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => t?.close());

  it('retries every job exactly once and no job is claimed twice', async () => {
    await t.db.query(
      `INSERT INTO jobs (job_type, status, media_url, error, started_at, completed_at, processing_time_ms, attempts)
       SELECT (ARRAY['video', 'audio', 'document'])[1 + i % 3], 'failed', 'https://cdn.example.com/' || i || '.mp4',
              'original failure', now() - interval '1 minute', now(), 60000, 3
       FROM generate_series(1, $1) AS i`,
      [JOBS],
    );
    const { rows: ids } = await t.db.query<{ id: string }>(`SELECT id FROM jobs`);
    const { rows: mark } = await t.db.query<{ max: string | null }>(`SELECT max(id)::text AS max FROM job_events`);
    const eventsFrom = Number(mark[0].max ?? 0);

    let done = false;
    const logs = Array.from({ length: WORKERS }, (): WorkerLog => ({ claimed: [], failedAgain: 0 }));
    const { port } = t.app.getHttpServer().address() as { port: number };
    const workers = logs.map((log, i) => worker(`http://127.0.0.1:${port}`, `worker-${i}`, () => done, log));
    const started = Date.now();
    const res = await t.http.post('/api/jobs/bulk-retry').send({});
    const bulkMs = Date.now() - started;
    done = true;
    await Promise.all(workers);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ matched: JOBS, changed: JOBS });

    // No job claimed twice, and every job claimed once (each was pending exactly once).
    const claimed = logs.flatMap((log) => log.claimed);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBe(JOBS);
    expect(logs.filter((log) => log.claimed.length > 0).length).toBeGreaterThan(1);
    const failedAgain = logs.reduce((sum, log) => sum + log.failedAgain, 0);
    expect(failedAgain).toBeGreaterThan(0);

    // The database agrees: every job went through retry then one claim, nothing still carries the old failure.
    const { rows: states } = await t.db.query(
      `SELECT status, attempts, error, count(*)::int AS n FROM jobs GROUP BY 1, 2, 3 ORDER BY 1`,
    );
    expect(states).toEqual([
      { status: 'failed', attempts: 1, error: 'failed again', n: failedAgain },
      { status: 'processing', attempts: 1, error: null, n: JOBS - failedAgain },
    ]);

    // One job.retried event per job (written by the trigger in the chunk's statement), one job.started.
    const { rows: events } = await t.db.query(
      `SELECT type, count(*)::int AS events, count(DISTINCT job_id)::int AS jobs
       FROM job_events WHERE id > $1 AND type IN ('job.retried', 'job.started') GROUP BY type ORDER BY type`,
      [eventsFrom],
    );
    expect(events).toEqual([
      { type: 'job.retried', events: JOBS, jobs: JOBS },
      { type: 'job.started', events: JOBS, jobs: JOBS },
    ]);
    const { rows: covered } = await t.db.query(
      `SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS j(id)
       WHERE EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = j.id AND e.type = 'job.retried' AND e.id > $2)`,
      [ids.map((row) => row.id), eventsFrom],
    );
    expect(covered[0].n).toBe(JOBS);
    console.log(`bulk retry of ${JOBS} jobs with ${WORKERS} workers claiming: ${bulkMs} ms`);
  }, 300_000);
});
