/**
 * npm run bench: the service (A) against the node:http + pg baseline (B) on the same freshly
 * seeded database, driven by wrk (autocannon when wrk is missing) in turns A B, A B … over
 * BENCH_ROUNDS rounds.
 * See bench/README.md for the scenarios, the knobs and how to read the output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/database/embedded-postgres';
import { bulkRuns, printBulk, type BulkRun } from './bulk';
import { chooseGenerator, luaString, runLoad, WRK_COUNT_STATUS, type LoadSpec } from './load-generator';
import { printProfiles, printSummary, summarize, writeResults, type RunResult, type ServerName } from './report';
import * as seed from './seed';
import { freePort } from '../test/utils/free-port';

const ROOT = path.resolve(__dirname, '..');
const env = process.env;

export const config = {
  adminUrl: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test',
  durationS: Number(env.BENCH_DURATION_S ?? 10),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  connections: Number(env.BENCH_CONNECTIONS ?? 32),
  jobs: Number(env.BENCH_JOBS ?? 100_000),
  warmupS: Number(env.BENCH_WARMUP_S ?? 3),
  poolMax: env.BENCH_POOL_MAX ?? '30',
  /** Upper bound of claim+complete pairs per second, to seed enough pending jobs. */
  claimRate: Number(env.BENCH_CLAIM_RATE ?? 3000),
  scenarios: (env.BENCH_SCENARIOS ?? 'create,get,list,claim,bulk').split(',').map((s) => s.trim()),
  /** Failed jobs the bulk scenario retries and then deletes, per round. */
  bulkJobs: Number(env.BENCH_BULK_JOBS ?? 20_000),
  profile: env.BENCH_PROFILE === '1',
  /** npm run bench:overhead: both servers answer SQL from memory once told to (stub-agent.cjs). */
  stubDb: env.BENCH_STUB_DB === '1',
  /** The service's entry point: a patched copy of dist/ can be measured against the same baseline. */
  serviceEntry: env.BENCH_SERVICE_ENTRY || 'dist/main.js',
  keepDb: env.BENCH_KEEP_DB === '1',
  /** wrk when installed; BENCH_LOAD_GENERATOR=autocannon forces the fallback. */
  generator: chooseGenerator(),
};

export const TITLES: Record<string, string> = {
  create: 'create video job',
  get: 'get job with children',
  list: 'list page (pending, 20)',
  claim: 'claim + complete',
};

// ---- processes -------------------------------------------------------------------------------

export interface Server {
  name: ServerName;
  url: string;
  child: ChildProcess;
  /** application_name of its PostgreSQL connections (to find its backends). */
  appName: string;
  profileWindows: number;
  output: () => string;
}

const AGENT = path.join(__dirname, config.stubDb ? 'stub-agent.cjs' : 'profile-agent.cjs');
export let profileDir = '';

export async function startServer(name: ServerName, dbUrl: string): Promise<Server> {
  const port = await freePort();
  const base: Record<string, string | undefined> = { ...env };
  for (const key of ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'API_KEYS', 'RATE_LIMIT_PER_MINUTE'])
    delete base[key];
  const agent = config.profile || config.stubDb ? ['-r', AGENT] : [];
  const args =
    name === 'service'
      ? [...agent, config.serviceEntry]
      : ['-r', 'ts-node/register/transpile-only', ...agent, 'bench/baseline-server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...base,
      NODE_ENV: 'production',
      AUTH_DISABLED: 'true',
      LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'info', // info: the service writes its line per request, as in production
      DB_MIGRATIONS_RUN: 'true',
      DATABASE_URL: name === 'service' ? dbUrl : withAppName(dbUrl, 'bench-baseline'),
      DB_POOL_MAX: config.poolMax,
      HOST: '127.0.0.1',
      PORT: String(port),
      BENCH_PROFILE_DIR: profileDir,
    },
  });
  // Only the tail is kept (for a failed start): at LOG_LEVEL=info a run logs a line per request.
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 256 * 1024) output = output.slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (
      await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        name,
        url,
        child,
        appName: name === 'service' ? 'media-analysis-api' : 'bench-baseline',
        profileWindows: 0,
        output: () => output,
      };
    }
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${output}`);
}

function withAppName(url: string, appName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', appName);
  return parsed.toString();
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the bench environment ---------------------------------------------------------------------

export interface Bench {
  dbUrl: string;
  service: Server;
  baseline: Server;
  /** Ids of jobs with children (get scenario). */
  ids: string[];
  monitor: Client;
  teardown: () => Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  return seed.withClient(url, async () => true).catch(() => false);
}

/** A throwaway database (on BENCH_DATABASE_URL, or an embedded server), migrated by the service itself, seeded, both servers up. */
export async function setup(jobs: number): Promise<Bench> {
  let adminUrl = config.adminUrl;
  let embedded: EmbeddedPostgres | undefined;
  if (!(await reachable(adminUrl))) {
    const root = await mkdtemp(path.join(tmpdir(), 'media-analysis-bench-'));
    await chmod(root, 0o755); // as root, the server runs as the postgres OS user
    console.log(`no PostgreSQL at ${new URL(adminUrl).host}: starting an embedded one in ${root}`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: await freePort() });
    adminUrl = embedded.superuserUrl;
  }
  if (config.profile || config.stubDb) {
    profileDir = await mkdtemp(path.join(tmpdir(), 'bench-profiles-'));
  }
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const dbUrl = await seed.createDatabase(adminUrl, dbName);
  console.log(`database ${dbName} on ${new URL(adminUrl).host}`);
  const started: Server[] = [];
  const monitor = new Client({ connectionString: dbUrl, application_name: 'bench-monitor' });
  let torn = false;
  const teardown = async () => {
    if (torn) return;
    torn = true;
    for (const server of started) await stopServer(server).catch(() => undefined);
    await monitor.end().catch(() => undefined);
    if (!config.keepDb)
      await seed
        .dropDatabase(adminUrl, dbName)
        .catch((e: Error) => console.warn(`could not drop ${dbName}: ${e.message}`));
    else console.log(`kept database: ${dbUrl}`);
    if (embedded) {
      await embedded.stop();
      if (!config.keepDb) await rm(path.dirname(embedded.dataDir), { recursive: true, force: true });
    }
  };
  process.once('SIGINT', () => void teardown().then(() => process.exit(130)));
  try {
    let t = Date.now();
    const service = await startServer('service', dbUrl); // applies the migrations at boot (DB_MIGRATIONS_RUN=true)
    started.push(service);
    console.log(`service up and migrated in ${Date.now() - t} ms`);
    t = Date.now();
    await seed.seedJobs(dbUrl, 1, jobs);
    console.log(`seeded ${jobs} jobs (and children for one in 7) in ${Date.now() - t} ms`);
    const baseline = await startServer('baseline', dbUrl);
    started.push(baseline);
    await monitor.connect();
    const ids = await seed.jobIdsWithChildren(dbUrl);
    await checkSameJson(service, baseline, ids[0], dbUrl);
    return { dbUrl, service, baseline, ids, monitor, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

// ---- scenarios ---------------------------------------------------------------------------------

const JSON_HEADERS = { 'content-type': 'application/json' };
const CREATE_BODY = JSON.stringify({
  media_url: `${seed.CREATED_URL_PREFIX}intro.mp4`,
  prompt: 'Summarise the key scenes',
  parameters: { fps: 1, max_frames: 60 },
});

export interface Scenario {
  name: string;
  load: LoadSpec;
  before?: () => Promise<unknown>;
  after?: () => Promise<unknown>;
}

const WRK_JSON_REQUEST = `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n`;

export function scenarios(bench: Bench, durationS: number): Scenario[] {
  const claimBody = JSON.stringify({ worker_id: seed.BENCH_WORKER });
  const completeBody = JSON.stringify({ result: { ok: true }, worker_id: seed.BENCH_WORKER });
  const all: Scenario[] = [
    {
      name: 'create',
      load: {
        autocannon: () => [{ method: 'POST', path: '/api/media/video', headers: JSON_HEADERS, body: CREATE_BODY }],
        wrkLua: () => `${WRK_JSON_REQUEST}wrk.path = "/api/media/video"\nwrk.body = ${luaString(CREATE_BODY)}`,
      },
      after: () => seed.removeCreated(bench.dbUrl),
    },
    {
      name: 'get',
      load: {
        autocannon: () => {
          let next = 0;
          return [
            {
              method: 'GET',
              setupRequest: (req) => ({ ...req, path: `/api/jobs/${bench.ids[next++ % bench.ids.length]}` }),
            },
          ];
        },
        wrkLua: () => `local ids = { ${bench.ids.map(luaString).join(', ')} }
local next = 0
request = function()
  next = next % #ids + 1
  return wrk.format("GET", "/api/jobs/" .. ids[next])
end`,
      },
    },
    {
      name: 'list',
      load: {
        autocannon: () => [{ method: 'GET', path: '/api/jobs?status=pending&limit=20' }],
        wrkLua: () => 'wrk.path = "/api/jobs?status=pending&limit=20"',
      },
    },
    {
      // One iteration = two HTTP requests on the same connection: claim, then complete the job it got.
      name: 'claim',
      load: {
        autocannon: () => [
          {
            method: 'POST',
            path: '/api/jobs/claim',
            headers: JSON_HEADERS,
            body: claimBody,
            onResponse: (status, body, context) => (context.jobId = status === 200 ? JSON.parse(body).id : undefined),
          },
          {
            method: 'POST',
            headers: JSON_HEADERS,
            body: completeBody,
            setupRequest: (req, context) =>
              context.jobId ? { ...req, path: `/api/jobs/${context.jobId}/complete` } : null,
          },
        ],
        // A connection sends its next request only after its answer, and response() runs
        // before that request() on the same connection, so the id pushed is the one popped.
        wrkLua: () => `${WRK_COUNT_STATUS}
local claimed = {}
local headers = { ["content-type"] = "application/json" }
request = function()
  local id = table.remove(claimed)
  if id then return wrk.format("POST", "/api/jobs/" .. id .. "/complete", headers, ${luaString(completeBody)}) end
  return wrk.format("POST", "/api/jobs/claim", headers, ${luaString(claimBody)})
end
response = function(status, _, body)
  count_status(status)
  if status == 200 and body:find('"status":"processing"', 1, true) then
    table.insert(claimed, body:match('"id":"([0-9a-f%-]+)"'))
  end
end`,
      },
      before: () => seed.resetClaims(bench.dbUrl, Math.ceil(durationS * config.claimRate)),
    },
  ];
  return all.filter((s) => config.scenarios.includes(s.name));
}

// ---- one run -----------------------------------------------------------------------------------

/** CPU ticks (1/100 s) used so far by a process, or NaN when it is not on this machine. */
function cpuTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

async function backendTicks(bench: Bench, appName: string): Promise<Map<number, number>> {
  const { rows } = await bench.monitor.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [appName],
  );
  return new Map(rows.map((r) => [r.pid, cpuTicks(r.pid)]));
}

async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await sleep(100);
  }
}

export async function measure(
  bench: Bench,
  server: Server,
  scenario: Scenario,
  round: number,
  dataset: string,
  durationS = config.durationS,
): Promise<RunResult> {
  await scenario.before?.();
  const nodeBefore = cpuTicks(server.child.pid);
  const pgBefore = await backendTicks(bench, server.appName);
  if (config.profile) server.child.kill('SIGUSR2');
  const result = await runLoad(config.generator, scenario.load, {
    url: server.url,
    connections: config.connections,
    durationS,
  });
  let queriesPerReq: Record<string, number> | undefined;
  let cpuProfile: string | undefined;
  const requests = result.requests;
  if (config.profile) {
    server.child.kill('SIGUSR2');
    const base = path.join(profileDir, `${server.child.pid}-${++server.profileWindows}`);
    await waitForFile(`${base}.queries.json`);
    const counts = JSON.parse(await readFile(`${base}.queries.json`, 'utf8')) as Record<string, number>;
    queriesPerReq = Object.fromEntries(Object.entries(counts).map(([q, n]) => [q, n / requests]));
    cpuProfile = path.join(
      profileDir,
      `${server.name}-${scenario.name}-${dataset.replace(/\W+/g, '')}-r${round}.cpuprofile`,
    );
    await rename(`${base}.cpuprofile`, cpuProfile);
  }
  const nodeTicks = cpuTicks(server.child.pid) - nodeBefore;
  let pgTicks = 0;
  for (const [pid, ticks] of await backendTicks(bench, server.appName)) pgTicks += ticks - (pgBefore.get(pid) ?? 0);
  await scenario.after?.();
  const statusCodes = result.statusCodes;
  if (scenario.name === 'claim' && statusCodes['204']) {
    console.warn(`  ! ${server.name}: ${statusCodes['204']} claims found no pending job (raise BENCH_CLAIM_RATE)`);
  }
  const perReq = (ticks: number) => (Number.isFinite(ticks) && requests > 0 ? (ticks * 10_000) / requests : null);
  return {
    server: server.name,
    scenario: scenario.name,
    round,
    dataset,
    requests,
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    nodeCpuUsPerReq: perReq(nodeTicks),
    pgCpuUsPerReq: perReq(pgTicks),
    queriesPerReq,
    cpuProfile,
  };
}

/**
 * Warm-up (unrecorded), then for each round and scenario both servers: A (service) then B
 * (baseline) in odd rounds, B then A in even ones, so that a machine drifting during a round
 * (caches, the table, the VM's neighbours) does not always favour the same server.
 */
export async function abRuns(bench: Bench, list: Scenario[], rounds: number, dataset: string): Promise<RunResult[]> {
  if (config.warmupS > 0) {
    console.log(`warm-up: ${config.warmupS} s per server and scenario`);
    for (const scenario of list) {
      for (const server of [bench.service, bench.baseline]) {
        await scenario.before?.();
        await runLoad(config.generator, scenario.load, {
          url: server.url,
          connections: config.connections,
          durationS: config.warmupS,
        });
        await scenario.after?.();
      }
    }
  }
  const runs: RunResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of list) {
      const order = round % 2 === 1 ? [bench.service, bench.baseline] : [bench.baseline, bench.service];
      for (const server of order) {
        const run = await measure(bench, server, scenario, round, dataset);
        runs.push(run);
        console.log(
          `round ${round} ${scenario.name.padEnd(6)} ${server.name.padEnd(8)} ${run.rps.toFixed(0).padStart(6)} req/s` +
            `  p50 ${run.p50} ms  p99 ${run.p99} ms  non-2xx ${run.non2xx}  errors ${run.errors}`,
        );
      }
    }
  }
  return runs;
}

// ---- the same JSON from both -------------------------------------------------------------------

async function call(base: string, method: string, url: string, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: body === undefined ? {} : JSON_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, location: res.headers.get('location') };
}

/** Same field names in the same order, and the same JSON type wherever neither value is null: what must match when the values cannot (new ids, times, other jobs). */
function sameShape(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (!a || !b || Object.keys(a).join() !== Object.keys(b).join()) return false;
  const type = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
  return Object.keys(a).every((k) => a[k] === null || b[k] === null || type(a[k]) === type(b[k]));
}

/** Fails the bench when the baseline does not answer what the service answers. */
async function checkSameJson(service: Server, baseline: Server, id: string, dbUrl: string): Promise<void> {
  const both = (method: string, url: string, body?: unknown) =>
    Promise.all([call(service.url, method, url, body), call(baseline.url, method, url, body)]);
  const problems: string[] = [];
  const expect = (what: string, ok: boolean, a: unknown, b: unknown) => {
    if (!ok) problems.push(`${what}:\n  service:  ${JSON.stringify(a)}\n  baseline: ${JSON.stringify(b)}`);
  };
  const [getA, getB] = await both('GET', `/api/jobs/${id}`);
  expect('get', getA.status === 200 && getB.status === 200 && isDeepStrictEqual(getA.json, getB.json), getA, getB);
  expect('get has children', getA.json?.assets?.length > 0 && getA.json?.transcriptions?.length > 0, getA.json, '');
  const [listA, listB] = await both('GET', '/api/jobs?status=pending&limit=20');
  expect('list', listA.status === 200 && isDeepStrictEqual(listA.json, listB.json), listA, listB);
  const [createA, createB] = await both('POST', '/api/media/video', JSON.parse(CREATE_BODY));
  expect(
    'create',
    createA.status === 201 && createB.status === 201 && sameShape(createA.json, createB.json),
    createA,
    createB,
  );
  expect(
    'create location',
    createA.location === `/api/jobs/${createA.json?.id}` && createB.location === `/api/jobs/${createB.json?.id}`,
    createA.location,
    createB.location,
  );
  const [claimA, claimB] = await both('POST', '/api/jobs/claim', { worker_id: seed.BENCH_WORKER });
  expect(
    'claim',
    claimA.status === 200 && claimB.status === 200 && sameShape(claimA.json, claimB.json),
    claimA,
    claimB,
  );
  const done = { result: { ok: true }, worker_id: seed.BENCH_WORKER };
  const [completeA, completeB] = await Promise.all([
    call(service.url, 'POST', `/api/jobs/${claimA.json?.id}/complete`, done),
    call(baseline.url, 'POST', `/api/jobs/${claimB.json?.id}/complete`, done),
  ]);
  expect(
    'complete',
    completeA.status === 200 && completeB.status === 200 && sameShape(completeA.json, completeB.json),
    completeA,
    completeB,
  );
  // Both refuse what the contract refuses, so neither is faster for skipping a check.
  const invalid: [string, string, unknown][] = [
    ['POST', '/api/media/video', { media_url: 'ftp://example.com/a.mp4' }],
    ['POST', '/api/media/video', { media_url: 'https://example.com/a.mp4', surprise: 1 }],
    ['POST', '/api/media/video', { media_url: 'https://example.com/a.mp4', priority: 101 }],
    ['POST', '/api/media/video', { media_url: 'https://example.com/a.mp4', prompt: 'a\u0000b' }],
    ['GET', '/api/jobs?status=pending&limit=0', undefined],
    ['GET', '/api/jobs?status=pending&surprise=1', undefined],
    ['POST', '/api/jobs/claim', { job_types: [] }],
    ['POST', '/api/jobs/claim', { lease_seconds: 5 }],
    ['GET', '/api/jobs/not-a-uuid', undefined],
  ];
  for (const [method, url, body] of invalid) {
    const [a, b] = await both(method, url, body);
    expect(`refuses ${method} ${url} ${JSON.stringify(body) ?? ''}`, a.status === 400 && b.status === 400, a, b);
  }
  await seed.removeCreated(dbUrl);
  await seed.resetClaims(dbUrl, 0);
  if (problems.length) throw new Error(`the baseline does not answer like the service:\n${problems.join('\n')}`);
  console.log(
    'baseline answers the same JSON as the service (get, list: equal; create, claim, complete: same fields and types) ' +
      `and refuses the same ${invalid.length} invalid requests`,
  );
}

// ---- npm run bench -----------------------------------------------------------------------------

async function main(): Promise<void> {
  const bench = await setup(config.jobs);
  try {
    const dataset = String(config.jobs);
    const runs = await abRuns(bench, scenarios(bench, config.durationS), config.rounds, dataset);
    // Service only, after the A/B runs, so their figures are as before.
    const bulk: BulkRun[] = config.scenarios.includes('bulk')
      ? await bulkRuns(bench.service.url, bench.dbUrl, config.bulkJobs, config.rounds)
      : [];
    const summary = summarize(runs);
    console.log(
      `\n${config.rounds} rounds × ${config.durationS} s, ${config.connections} connections, ${config.jobs} jobs, ` +
        `load from ${config.generator === 'wrk' ? 'wrk (1 thread)' : 'autocannon (FALLBACK: wrk is not installed; it shares the cores with the servers)'}; ` +
        'ratio = service req/s ÷ baseline req/s (median of rounds); claim + complete counts 2 requests per iteration\n',
    );
    printSummary(summary, TITLES);
    if (bulk.length > 0) printBulk(bulk);
    if (config.profile) printProfiles(runs);
    const file = writeResults('', {
      date: new Date().toISOString(),
      config,
      node: process.version,
      summary,
      runs,
      bulk,
    });
    console.log(`\nresults: ${path.relative(ROOT, file)}${config.profile ? `; CPU profiles in ${profileDir}` : ''}`);
  } finally {
    await bench.teardown();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
