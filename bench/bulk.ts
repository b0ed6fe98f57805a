/**
 * The bulk scenario of npm run bench: POST /api/jobs/bulk-retry over BENCH_BULK_JOBS failed jobs,
 * then POST /api/jobs/bulk-delete of the same jobs (now pending), timed end to end. Service only
 * (the baseline has no bulk endpoints), after the A/B runs so their figures are untouched; the
 * jobs it adds are gone again afterwards.
 */
import { withClient } from './seed';

/** The error text of the jobs this scenario adds: the retry's filter, so seeded failures stay failed. */
const MARKER = 'bench bulk marker';

export interface BulkRun {
  round: number;
  action: 'retry' | 'delete';
  jobs: number;
  matched: number;
  changed: number;
  ms: number;
  jobsPerS: number;
}

async function post(url: string, body: object): Promise<{ matched: number; changed: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { matched: number; changed: number };
}

async function timed(round: number, action: BulkRun['action'], jobs: number, call: () => ReturnType<typeof post>) {
  const started = performance.now();
  const { matched, changed } = await call();
  const ms = performance.now() - started;
  const run: BulkRun = { round, action, jobs, matched, changed, ms, jobsPerS: (changed / ms) * 1000 };
  console.log(
    `round ${round} bulk-${action.padEnd(6)} ${changed} of ${jobs} jobs in ${ms.toFixed(0)} ms: ${run.jobsPerS.toFixed(0)} jobs/s`,
  );
  if (matched !== jobs || changed !== jobs) throw new Error(`bulk-${action} changed ${changed} of ${jobs}`);
  return run;
}

export async function bulkRuns(serviceUrl: string, dbUrl: string, jobs: number, rounds: number): Promise<BulkRun[]> {
  const runs: BulkRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    const since = await withClient(dbUrl, async (c) => {
      const { rows } = await c.query<{ since: string }>(
        `SELECT to_char((now() - interval '1 ms') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since`,
      );
      await c.query(
        `INSERT INTO jobs (job_type, status, media_url, error, started_at, completed_at, processing_time_ms, attempts)
         SELECT (ARRAY['video', 'audio', 'document'])[1 + i % 3], 'failed', 'https://bench.invalid/bulk/' || i,
                $1, now(), now(), 0, 3
         FROM generate_series(1, $2::int) AS i`,
        [MARKER, jobs],
      );
      await c.query('VACUUM (ANALYZE) jobs');
      return rows[0].since;
    });
    runs.push(
      await timed(round, 'retry', jobs, () => post(`${serviceUrl}/api/jobs/bulk-retry`, { error_contains: MARKER })),
    );
    runs.push(
      await timed(round, 'delete', jobs, () =>
        post(`${serviceUrl}/api/jobs/bulk-delete`, { status: 'pending', created_after: since }),
      ),
    );
    await withClient(dbUrl, (c) => c.query('VACUUM (ANALYZE) jobs'));
  }
  return runs;
}

export function printBulk(runs: BulkRun[]): void {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  console.log('\nbulk actions (service only; median over rounds)');
  for (const action of ['retry', 'delete'] as const) {
    const mine = runs.filter((run) => run.action === action);
    if (mine.length === 0) continue;
    console.log(
      `  bulk-${action.padEnd(6)} ${String(mine[0].jobs).padStart(7)} jobs  ${median(mine.map((r) => r.ms))
        .toFixed(0)
        .padStart(6)} ms` +
        `  ${median(mine.map((r) => r.jobsPerS))
          .toFixed(0)
          .padStart(6)} jobs/s  (rounds: ${mine.map((r) => r.jobsPerS.toFixed(0)).join(' ')})`,
    );
  }
}
