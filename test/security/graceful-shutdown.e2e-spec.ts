import { Pool } from 'pg';
import { freePort } from '../utils/free-port';
import { keepAliveBurst, type BurstOutcome } from '../utils/keep-alive-burst';
import { startServiceProcess, type ServiceProcess } from '../utils/service-process';
import { createTestDatabase } from '../utils/test-database';

const CONNECTIONS = 200;
const PREFIX = 'https://cdn.example.com/shutdown/';

describe('graceful shutdown: SIGTERM during a burst of 200 concurrent creates on keep-alive connections', () => {
  let service: ServiceProcess;
  let db: Pool;
  let outcomes: BurstOutcome[];
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let signalledAt: number;
  let exitedAt: number;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    db = new Pool({ connectionString: databaseUrl, max: 2 });
    service = await startServiceProcess(
      { PORT: String(await freePort()), DATABASE_URL: databaseUrl, SHUTDOWN_GRACE_MS: '15000', LOG_LEVEL: 'warn' },
      { inheritDatabase: true },
    );
    const burst = keepAliveBurst({
      baseUrl: service.baseUrl,
      connections: CONNECTIONS,
      deadline: Date.now() + 30_000,
      next: (client, n) => ({
        key: `${PREFIX}${client}-${n}.mp4`,
        method: 'POST',
        path: '/api/media/video',
        body: { media_url: `${PREFIX}${client}-${n}.mp4` },
      }),
    });
    // SIGTERM once every client has had answers, so that the connections are open and busy.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    signalledAt = Date.now();
    service.child.kill('SIGTERM');
    [outcomes, exit] = await Promise.all([burst, service.exited.then((result) => ((exitedAt = Date.now()), result))]);
    const tally: Record<string, number> = {};
    for (const o of outcomes)
      tally[o.status ?? `${o.failure}:${o.errorCode}`] = (tally[o.status ?? `${o.failure}:${o.errorCode}`] ?? 0) + 1;
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

  it('answered every request it answered with 201: no 5xx, no 503 "closing"', () => {
    const answered = outcomes.filter((outcome) => outcome.status !== undefined);
    expect(answered.length).toBeGreaterThan(CONNECTIONS);
    const unexpected = answered.filter((outcome) => outcome.status !== 201);
    expect(unexpected.map(({ status, body }) => ({ status, body }))).toEqual([]);
  });

  it('finished the requests in flight at SIGTERM (answers completed after the signal)', () => {
    const finishedAfterSignal = outcomes.filter(
      (outcome) => outcome.status === 201 && outcome.startedAt <= signalledAt && outcome.endedAt >= signalledAt,
    );
    expect(finishedAfterSignal.length).toBeGreaterThan(0);
  });

  it('cut no answer mid-response; the only failures are requests the server never took', () => {
    expect(outcomes.filter((outcome) => outcome.failure === 'mid-response')).toEqual([]);
    for (const outcome of outcomes.filter((o) => o.failure)) {
      expect(['ECONNREFUSED', 'ECONNRESET', 'socket hang up', 'EPIPE']).toContain(outcome.errorCode);
    }
  });

  it('stored exactly the jobs it answered 201 for: every acknowledged job is there, no request failed after it was taken', async () => {
    const { rows } = await db.query<{ media_url: string }>('SELECT media_url FROM jobs WHERE media_url LIKE $1', [
      `${PREFIX}%`,
    ]);
    const stored = rows.map((row) => row.media_url).sort();
    const acknowledged = outcomes
      .filter((outcome) => outcome.status === 201)
      .map((outcome) => outcome.key)
      .sort();
    expect(stored).toEqual(acknowledged);
  });
});
