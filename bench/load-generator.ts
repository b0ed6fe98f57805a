/**
 * The load generators the bench can drive a server with. wrk (C, one thread) is the default when
 * it is installed: it leaves the machine's cores to the servers and PostgreSQL. autocannon runs in
 * Node and takes about a core of its own, which caps both servers and pulls their ratio toward 1,
 * so it is only the fallback, and the output says when it was used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export type GeneratorName = 'wrk' | 'autocannon';

/** What one timed run measured, whichever generator ran it. */
export interface LoadResult {
  requests: number;
  rps: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Answers outside 2xx/3xx. */
  non2xx: number;
  /** Socket errors (connect, read, write). */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/**
 * A scenario's requests for each generator. For wrk, a Lua script: `request()` builds each
 * request, `response()` (optional) reads answers; `counters` lists thread-global Lua numbers
 * reported as status codes (e.g. `n204`).
 */
export interface LoadSpec {
  autocannon: () => autocannon.Request[];
  wrkLua: () => string;
}

export function chooseGenerator(requested = process.env.BENCH_LOAD_GENERATOR): GeneratorName {
  if (requested === 'autocannon') return 'autocannon';
  const found = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  const installed = found.error === undefined && /wrk/.test(`${found.stdout}${found.stderr}`);
  if (installed) return 'wrk';
  if (requested === 'wrk') throw new Error('BENCH_LOAD_GENERATOR=wrk but wrk is not installed (apt-get install wrk)');
  return 'autocannon';
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
}

export function runLoad(generator: GeneratorName, spec: LoadSpec, options: LoadOptions): Promise<LoadResult> {
  return generator === 'wrk' ? runWrk(spec.wrkLua(), options) : runAutocannon(spec.autocannon(), options);
}

// ---- autocannon ------------------------------------------------------------------------------

function runAutocannon(requests: autocannon.Request[], options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) =>
    autocannon(
      { url: options.url, connections: options.connections, duration: options.durationS, timeout: 10, requests },
      (error, result) =>
        error
          ? reject(error)
          : resolve({
              requests: result.requests.total,
              rps: result.requests.average,
              p50: result.latency.p50,
              p99: result.latency.p99,
              non2xx: result.non2xx,
              errors: result.errors,
              timeouts: result.timeouts,
              statusCodes: Object.fromEntries(
                Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
              ),
            }),
    ),
  );
}

// ---- wrk -------------------------------------------------------------------------------------

/**
 * Appended to every scenario script: counts answers by status in the (single) thread and prints
 * one JSON line at the end. A `response()` makes wrk parse every body, so scripts that need no
 * answers leave `track_status` off and take wrk's own non-2xx count.
 */
const WRK_REPORT = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local codes = {}
  for _, t in ipairs(threads) do
    local seen = t:get("status_counts")
    if seen then for code, n in pairs(seen) do codes[code] = (codes[code] or 0) + n end end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%s":%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"codes":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
`;

/** Lua: counts statuses into `status_counts` (read by WRK_REPORT) from a script's own `response()`. */
export const WRK_COUNT_STATUS = `
status_counts = {}
local function count_status(status)
  local key = tostring(status)
  status_counts[key] = (status_counts[key] or 0) + 1
end
`;

/** A Lua string literal. */
export function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

async function runWrk(script: string, options: LoadOptions): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-wrk-'));
  const file = path.join(dir, 'scenario.lua');
  try {
    await writeFile(file, `${script}\n${WRK_REPORT}`);
    const args = ['-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--timeout', '10s', '-s', file];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', [...args, options.url], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}:\n${text}`))));
    });
    return parseWrkReport(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface WrkReport {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  status: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  codes: Record<string, number>;
}

export function parseWrkReport(output: string): LoadResult {
  const line = output.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no report:\n${output}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length)) as WrkReport;
  return {
    requests: r.requests,
    rps: r.duration_us > 0 ? r.requests / (r.duration_us / 1e6) : 0,
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    non2xx: r.status,
    errors: r.connect + r.read + r.write,
    timeouts: r.timeout,
    statusCodes: r.codes,
  };
}
