import { Client, Pool } from 'pg';
import type { Json } from '../utils/fixtures';
import { freePort } from '../utils/free-port';
import { keepAliveBurst, type BurstOutcome } from '../utils/keep-alive-burst';
import { startServiceProcess, type ServiceProcess } from '../utils/service-process';
import { createTestDatabase } from '../utils/test-database';

const CONNECTIONS = 200;
const PREFIX = 'https://cdn.example.com/shutdown/';
/** One client in CLAIMERS claims jobs instead of creating them. */
const CLAIMERS = 4;

/** The request ids the service logged as taken ("request received", trace level). */
function receivedRequestIds(output: string): Set<string> {
  const ids = new Set<string>();
  for (const line of output.split('\n')) {
    if (!line.includes('"request received"')) continue;
    ids.add((JSON.parse(line) as { reqId: string }).reqId);
  }
  return ids;
}

async function startService(databaseUrl: string): Promise<ServiceProcess> {
  return startServiceProcess(
    {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      SHUTDOWN_GRACE_MS: '15000',
      // trace: the service logs each request it takes, so a reset can be told from a refusal.
      LOG_LEVEL: 'trace',
      LEASE_SWEEP_INTERVAL_MS: '3600000',
    },
    { inheritDatabase: true },
  );
}

describe('graceful shutdown: SIGTERM during a burst of 200 concurrent creates and claims on keep-alive connections', () => {
  let service: ServiceProcess;
  let db: Pool;
  let outcomes: BurstOutcome[];
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let signalledAt: number;
  let exitedAt: number;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    db = new Pool({ connectionString: databaseUrl, max: 2 });
    service = await startService(databaseUrl);
    const burst = keepAliveBurst({
      baseUrl: service.baseUrl,
      connections: CONNECTIONS,
      deadline: Date.now() + 30_000,
      // The request id is the key: the service's log then says which requests it took.
      headers: {},
      next: (client, n) =>
        client % CLAIMERS === 0
          ? {
              key: `claim-${client}-${n}`,
              method: 'POST',
              path: '/api/jobs/claim',
              body: { worker_id: `claim-${client}-${n}` },
            }
          : {
              key: `create-${client}-${n}`,
              method: 'POST',
              path: '/api/media/video',
              body: { media_url: `${PREFIX}create-${client}-${n}.mp4` },
            },
      requestId: (key) => key,
    });
    // SIGTERM once every client has had answers, so that the connections are open and busy.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    signalledAt = Date.now();
    service.child.kill('SIGTERM');
    [outcomes, exit] = await Promise.all([burst, service.exited.then((result) => ((exitedAt = Date.now()), result))]);
    const tally: Record<string, number> = {};
    for (const o of outcomes) {
      const key = `${o.key.split('-')[0]}:${o.status ?? `${o.failure}:${o.errorCode}`}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    console.log(`shutdown took ${exitedAt - signalledAt} ms; outcomes ${JSON.stringify(tally)}`);
  }, 60_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await db?.end();
  });

  it('exits 0 well within SHUTDOWN_GRACE_MS (no wait on idle keep-alive connections)', () => {
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service.output()).not.toContain('shutdown took longer');
    expect(exitedAt - signalledAt).toBeLessThan(10_000);
  });

  it('answered every request it answered with 201, 200 or 204: no 5xx, no 503 "closing"', () => {
    const answered = outcomes.filter((outcome) => outcome.status !== undefined);
    expect(answered.length).toBeGreaterThan(CONNECTIONS);
    const unexpected = answered.filter((o) =>
      o.key.startsWith('claim') ? ![200, 204].includes(o.status!) : o.status !== 201,
    );
    expect(unexpected.map(({ key, status, body }) => ({ key, status, body }))).toEqual([]);
    // Claims really ran: some handed out a job.
    expect(answered.filter((o) => o.key.startsWith('claim') && o.status === 200).length).toBeGreaterThan(0);
  });

  it('finished the requests in flight at SIGTERM (answers completed after the signal)', () => {
    const finishedAfterSignal = outcomes.filter(
      (outcome) => outcome.status !== undefined && outcome.startedAt <= signalledAt && outcome.endedAt >= signalledAt,
    );
    expect(finishedAfterSignal.length).toBeGreaterThan(0);
  });

  it('failed only requests it never took: no request the service logged as taken went unanswered', () => {
    const received = receivedRequestIds(service.output());
    // The log is complete (every answered request is in it), so a missing id means "never taken".
    const answered = outcomes.filter((o) => o.status !== undefined);
    expect(answered.filter((o) => !received.has(o.key)).map((o) => o.key)).toEqual([]);
    const failed = outcomes.filter((o) => o.failure);
    expect(failed.filter((o) => o.failure !== 'before-response').map((o) => `${o.key}: ${o.failure}`)).toEqual([]);
    expect(failed.filter((o) => received.has(o.key)).map((o) => `${o.key}: ${o.errorCode}`)).toEqual([]);
  });

  it('stored exactly the jobs it answered 201 for', async () => {
    const { rows } = await db.query<{ media_url: string }>('SELECT media_url FROM jobs WHERE media_url LIKE $1', [
      `${PREFIX}%`,
    ]);
    const stored = rows.map((row) => row.media_url).sort();
    const acknowledged = outcomes
      .filter((o) => o.key.startsWith('create') && o.status === 201)
      .map((o) => `${PREFIX}${o.key}.mp4`)
      .sort();
    expect(stored).toEqual(acknowledged);
  });

  it('holds exactly the claims it answered 200 for: no job was claimed for a worker that never heard', async () => {
    const { rows } = await db.query<{ id: string; worker_id: string }>(
      `SELECT id, worker_id FROM jobs WHERE status = 'processing' ORDER BY worker_id`,
    );
    const claimed = outcomes
      .filter((o) => o.key.startsWith('claim') && o.status === 200)
      .map((o) => ({ id: JSON.parse(o.body!).id as string, worker_id: o.key }))
      .sort((a, b) => a.worker_id.localeCompare(b.worker_id));
    expect(rows).toEqual(claimed);
  });
});

describe('graceful shutdown: a long-running request in flight at SIGTERM', () => {
  it('is answered and stored before the service exits, however long it takes within the grace period', async () => {
    const databaseUrl = await createTestDatabase();
    const service = await startService(databaseUrl);
    // SHARE mode blocks INSERTs into jobs: the create below waits in PostgreSQL until the commit.
    const locker = new Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE jobs IN SHARE MODE');
      const url = `${PREFIX}long-running.mp4`;
      let answeredAt = 0;
      const answer = fetch(`${service.baseUrl}/api/media/video`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ media_url: url }),
      }).then(async (res) => ((answeredAt = Date.now()), { status: res.status, body: (await res.json()) as Json }));
      await new Promise((resolve) => setTimeout(resolve, 500));
      service.child.kill('SIGTERM');
      const signalledAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(service.child.exitCode).toBeNull(); // still draining the request
      await locker.query('COMMIT');
      const res = await answer;
      const exit = await service.exited;
      expect(res).toMatchObject({ status: 201, body: { media_url: url, status: 'pending' } });
      expect(answeredAt - signalledAt).toBeGreaterThanOrEqual(3000);
      // The client keeps its connection (fetch keeps it alive): the service must not wait for it.
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - answeredAt).toBeLessThan(5000);
      const { rows } = await locker.query('SELECT id FROM jobs WHERE media_url = $1', [url]);
      expect(rows).toEqual([{ id: res.body.id }]);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await locker.end();
    }
  }, 60_000);
});
