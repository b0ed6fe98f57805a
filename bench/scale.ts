/**
 * npm run bench:scale: list-page and claim latency at 100,000 jobs, then at 1,000,000 on the
 * same database, for the service and the baseline; and the EXPLAIN (ANALYZE, BUFFERS) plans of
 * the service's own list and claim statements (imported from src/, run as prepared statements
 * the way node-postgres runs them), which must be index scans, not sequential scans.
 */
import path from 'node:path';
import type { Client } from 'pg';
import { keysetStatement } from '../src/common/keyset';
import { JOB_COLUMNS, JOB_SQL } from '../src/jobs/job-sql';
import { STATS_SQL } from '../src/stats/stats-sql';
import { printSummary, summarize, writeResults, type RunResult, type ScenarioSummary } from './report';
import { abRuns, config, scenarios, setup, TITLES } from './run';
import * as seed from './seed';

const SMALL = config.jobs;
const LARGE = Number(process.env.BENCH_SCALE_JOBS ?? 1_000_000);

/** EXPLAIN of a prepared statement after five executions, when PostgreSQL may switch to its generic plan. */
async function explainPrepared(client: Client, name: string, text: string, values: unknown[]): Promise<string> {
  const params = values.map((v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`)).join(', ');
  await client.query('BEGIN'); // the claim is an UPDATE: everything here is rolled back
  try {
    await client.query(`PREPARE ${name} AS ${text}`);
    for (let i = 0; i < 5; i++) await client.query(`EXECUTE ${name}(${params})`);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE ${name}(${params})`);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    await client.query(`DEALLOCATE ${name}`).catch(() => undefined);
  }
}

async function explainAll(client: Client, label: string): Promise<Record<string, string>> {
  const first = keysetStatement('jobs', JOB_COLUMNS, { equals: [['status', 'pending']], limit: 20, order: 'desc' });
  // A deep page: the cursor of the pending job half-way down the list.
  const { rows } = await client.query(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, id FROM jobs
     WHERE status = 'pending' ORDER BY created_at DESC, id DESC OFFSET (SELECT count(*) / 2 FROM jobs WHERE status = 'pending') LIMIT 1`,
  );
  const deep = keysetStatement('jobs', JOB_COLUMNS, {
    equals: [['status', 'pending']],
    cursor: { createdAt: rows[0].created_at, id: rows[0].id },
    limit: 20,
    order: 'desc',
  });
  const filtered = keysetStatement('jobs', JOB_COLUMNS, {
    equals: [
      ['job_type', 'document'],
      ['status', 'failed'],
    ],
    limit: 20,
    order: 'desc',
  });
  const plans: Record<string, string> = {
    'list, first page (GET /api/jobs?status=pending&limit=20)': await explainPrepared(
      client,
      'list_first',
      first.statement.text,
      first.values,
    ),
    'list, a page half-way down (cursor)': await explainPrepared(client, 'list_deep', deep.statement.text, deep.values),
    'list, two filters (GET /api/jobs?job_type=document&status=failed&limit=20)': await explainPrepared(
      client,
      'list_filtered',
      filtered.statement.text,
      filtered.values,
    ),
    'claim (POST /api/jobs/claim)': await explainPrepared(client, 'claim', JOB_SQL.claim.text, [
      null,
      'bench-explain',
      300,
    ]),
    'stats (GET /api/stats)': await explainPrepared(client, 'stats', STATS_SQL.text, ['{video,audio,document}']),
  };
  for (const [what, plan] of Object.entries(plans)) {
    console.log(`\n--- ${label}: ${what}\n${plan}`);
  }
  return plans;
}

/**
 * Whether each plan reads jobs in index order: an index scan (the claim through the partial
 * idx_jobs_claim), no sequential scan of jobs, and no full sort (an Incremental Sort that only
 * orders ties of an index already in created_at order is fine).
 */
function verdicts(plans: Record<string, string>): string[] {
  return Object.entries(plans).map(([what, plan]) => {
    const indexes = [
      ...new Set([...plan.matchAll(/Index (?:Only )?Scan(?: Backward)? using (\w+) on jobs/g)].map((m) => m[1])),
    ];
    const seq = /Seq Scan on jobs/.test(plan);
    const fullSort = /(?<!Incremental )Sort\s+\(cost/.test(plan);
    const claimOk = !what.startsWith('claim') || indexes.includes('idx_jobs_claim');
    const ok = indexes.length > 0 && !seq && !fullSort && claimOk;
    return `${ok ? 'ok' : 'NOT OK'}: ${what}: index scan on ${indexes.join(', ') || 'none'}${seq ? '; Seq Scan on jobs' : ''}${fullSort ? '; full Sort' : ''}`;
  });
}

async function main(): Promise<void> {
  const bench = await setup(SMALL);
  try {
    const list = scenarios(bench, config.durationS).filter((s) => s.name === 'list' || s.name === 'claim');
    const runs: RunResult[] = await abRuns(bench, list, config.rounds, String(SMALL));
    const smallPlans = await explainAll(bench.monitor, `${SMALL} jobs`);

    const t = Date.now();
    await seed.seedJobs(bench.dbUrl, SMALL + 1, LARGE);
    console.log(`\nseeded up to ${await seed.countJobs(bench.dbUrl)} jobs in ${Date.now() - t} ms`);
    runs.push(...(await abRuns(bench, list, config.rounds, String(LARGE))));
    const largePlans = await explainAll(bench.monitor, `${LARGE} jobs`);

    const summary = summarize(runs);
    console.log(`\n${config.rounds} rounds × ${config.durationS} s, ${config.connections} connections\n`);
    printSummary(summary, TITLES);
    console.log('\nlatency at the large size ÷ at the small size (p50, p99):');
    const find = (scenario: string, dataset: number) =>
      summary.find((s) => s.scenario === scenario && s.dataset === String(dataset));
    const growth: Record<string, unknown> = {};
    for (const scenario of list.map((s) => s.name)) {
      const [small, large] = [find(scenario, SMALL), find(scenario, LARGE)] as ScenarioSummary[];
      for (const who of ['service', 'baseline'] as const) {
        const g = {
          p50: large[who].p50 / small[who].p50,
          p99: large[who].p99 / small[who].p99,
          rps: large[who].rps / small[who].rps,
        };
        growth[`${scenario}/${who}`] = g;
        console.log(
          `  ${TITLES[scenario].padEnd(26)} ${who.padEnd(8)} p50 ×${g.p50.toFixed(2)}  p99 ×${g.p99.toFixed(2)}  req/s ×${g.rps.toFixed(2)}`,
        );
      }
    }
    console.log('\nplans:');
    const checks = [
      ...verdicts(smallPlans).map((v) => `${SMALL} jobs: ${v}`),
      ...verdicts(largePlans).map((v) => `${LARGE} jobs: ${v}`),
    ];
    for (const line of checks) console.log(`  ${line}`);
    const file = writeResults('scale-', {
      date: new Date().toISOString(),
      config,
      sizes: [SMALL, LARGE],
      summary,
      growth,
      checks,
      plans: { [SMALL]: smallPlans, [LARGE]: largePlans },
      runs,
    });
    console.log(`\nresults: ${path.relative(path.resolve(__dirname, '..'), file)}`);
  } finally {
    await bench.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
