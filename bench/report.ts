/**
 * Turns bench runs into the printed tables and bench/results/<timestamp>.json: per scenario the
 * median req/s, p50, p99, errors and CPU per request of each server, and the service/baseline
 * ratio (median of the per-round ratios). Also summarises CPU profiles (BENCH_PROFILE=1).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ServerName = 'service' | 'baseline';

export interface RunResult {
  server: ServerName;
  scenario: string;
  round: number;
  /** Label of the data set the run used, e.g. "100000 jobs". */
  dataset: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU time of the server's Node process and of its PostgreSQL backends, per HTTP request. */
  nodeCpuUsPerReq: number | null;
  pgCpuUsPerReq: number | null;
  /** BENCH_PROFILE=1 only: SQL statements sent per HTTP request, by statement, and the CPU profile. */
  queriesPerReq?: Record<string, number>;
  cpuProfile?: string;
}

interface Stats {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  nodeCpuUsPerReq: number | null;
  pgCpuUsPerReq: number | null;
}

export interface ScenarioSummary {
  scenario: string;
  dataset: string;
  service: Stats;
  baseline: Stats;
  /** service req/s ÷ baseline req/s, median over rounds (1.00 = as fast as the floor). */
  ratio: number;
  ratios: number[];
  /**
   * baseline node CPU per request ÷ service node CPU per request, median over rounds: the same
   * direction as `ratio` (1.00 = as cheap as the floor), and steadier, since it does not depend
   * on how the two cores were shared during the run.
   */
  cpuRatio: number | null;
  cpuRatios: number[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length ? median(known) : null;
}

function stats(runs: RunResult[]): Stats {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    nodeCpuUsPerReq: medianOrNull(runs.map((r) => r.nodeCpuUsPerReq)),
    pgCpuUsPerReq: medianOrNull(runs.map((r) => r.pgCpuUsPerReq)),
  };
}

export function summarize(runs: RunResult[]): ScenarioSummary[] {
  const keys = [...new Set(runs.map((r) => `${r.dataset}\u0000${r.scenario}`))];
  return keys.map((key) => {
    const [dataset, scenario] = key.split('\u0000');
    const of = (server: ServerName) =>
      runs.filter((r) => r.dataset === dataset && r.scenario === scenario && r.server === server);
    const service = of('service');
    const baseline = of('baseline');
    const ratios = service
      .map((s) => {
        const b = baseline.find((r) => r.round === s.round);
        return b && b.rps > 0 ? s.rps / b.rps : NaN;
      })
      .filter(Number.isFinite);
    const cpuRatios = service
      .map((s) => {
        const b = baseline.find((r) => r.round === s.round);
        return b?.nodeCpuUsPerReq && s.nodeCpuUsPerReq ? b.nodeCpuUsPerReq / s.nodeCpuUsPerReq : NaN;
      })
      .filter(Number.isFinite);
    return {
      scenario,
      dataset,
      service: stats(service),
      baseline: stats(baseline),
      ratio: median(ratios),
      ratios,
      cpuRatio: cpuRatios.length ? median(cpuRatios) : null,
      cpuRatios,
    };
  });
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const fmt = (value: number | null, digits = 0) =>
  value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);

export function printSummary(summaries: ScenarioSummary[], titles: Record<string, string>): void {
  const line = (cells: string[]) => console.log(cells.join('  '));
  const head = ['scenario'.padEnd(30), pad('jobs', 8)];
  const cols = (who: string) => [pad(`${who} req/s`, 14), pad('p50 ms', 7), pad('p99 ms', 7), pad('errors', 6)];
  line([...head, ...cols('service'), ...cols('baseline'), pad('ratio', 6), pad('cpu ratio', 9), 'per round']);
  for (const s of summaries) {
    const cells = (x: Stats) => [pad(fmt(x.rps), 14), pad(fmt(x.p50, 1), 7), pad(fmt(x.p99, 1), 7), pad(x.errors, 6)];
    line([
      (titles[s.scenario] ?? s.scenario).padEnd(30),
      pad(s.dataset, 8),
      ...cells(s.service),
      ...cells(s.baseline),
      pad(fmt(s.ratio, 2), 6),
      pad(fmt(s.cpuRatio, 2), 9),
      s.ratios.map((r) => r.toFixed(2)).join(' '),
    ]);
  }
  console.log(
    '\nCPU per HTTP request (µs; median over rounds; 10 ms tick resolution, so rough); ' +
      'cpu ratio = baseline node ÷ service node, median of rounds',
  );
  line([
    'scenario'.padEnd(30),
    pad('jobs', 8),
    pad('service node', 13),
    pad('service pg', 11),
    pad('baseline node', 14),
    pad('baseline pg', 12),
  ]);
  for (const s of summaries) {
    line([
      (titles[s.scenario] ?? s.scenario).padEnd(30),
      pad(s.dataset, 8),
      pad(fmt(s.service.nodeCpuUsPerReq), 13),
      pad(fmt(s.service.pgCpuUsPerReq), 11),
      pad(fmt(s.baseline.nodeCpuUsPerReq), 14),
      pad(fmt(s.baseline.pgCpuUsPerReq), 12),
    ]);
  }
}

/** Writes bench/results/<prefix><timestamp>.json and returns its path. */
export function writeResults(prefix: string, data: unknown): string {
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${prefix}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

// ---- CPU profiles (BENCH_PROFILE=1) ----------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a part of Node, the service's dist/<module>, or the bench. */
function bucket({ functionName, url }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.startsWith('node:')) {
    const first = url
      .slice(5)
      .replace(/^internal\//, '')
      .split('/')[0];
    return `node:${first.replace(/^_/, '').split('_')[0]}`;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `service:${url
      .slice(dist + 6)
      .split('/')[0]
      .replace(/\.js$/, '')}`;
  if (url.includes('/bench/')) return 'bench';
  return url;
}

export interface ProfileSummary {
  busyMs: number;
  sampledMs: number;
  /** % of busy time with the bucket anywhere on the stack. */
  inclusive: [string, number][];
  /** % of busy time spent in the bucket's own code. */
  self: [string, number][];
  functions: [string, number][];
}

export function summarizeCpuProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackBuckets = new Map<number, Set<string>>();
  const bucketsOf = (id: number): Set<string> => {
    let set = stackBuckets.get(id);
    if (!set) {
      const up = parent.get(id);
      set = new Set(up === undefined ? [] : bucketsOf(up));
      set.add(bucket(byId.get(id)!.callFrame));
      stackBuckets.set(id, set);
    }
    return set;
  };
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let sampled = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    sampled += us;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    busy += us;
    add(self, bucket(frame), us);
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    add(functions, `${frame.functionName || '(anonymous)'} ${where}`.trim(), us);
    for (const b of bucketsOf(id)) add(inclusive, b, us);
  });
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, Math.round((1000 * us) / busy) / 10] as [string, number]);
  inclusive.delete('(root)');
  return {
    busyMs: busy / 1000,
    sampledMs: sampled / 1000,
    inclusive: ranked(inclusive),
    self: ranked(self),
    functions: ranked(functions),
  };
}

export function printProfiles(runs: RunResult[]): void {
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    console.log(`\n=== profile: ${scenario}`);
    for (const server of ['service', 'baseline'] as const) {
      const run = runs.filter((r) => r.scenario === scenario && r.server === server && r.cpuProfile).at(-1);
      if (!run?.cpuProfile) continue;
      const p = summarizeCpuProfile(run.cpuProfile);
      const queries = Object.entries(run.queriesPerReq ?? {});
      const total = queries.reduce((sum, [, n]) => sum + n, 0);
      console.log(
        `${server}: ${run.requests} requests; busy ${p.busyMs.toFixed(0)} ms of ${p.sampledMs.toFixed(0)} ms sampled ` +
          `= ${((1000 * p.busyMs) / run.requests).toFixed(0)} µs of JS-thread CPU per request; ` +
          `SQL statements per request ${total.toFixed(2)} (${queries.map(([q, n]) => `${q} ×${n.toFixed(2)}`).join('; ')})`,
      );
      if (server === 'baseline') continue;
      console.log(`  inclusive (% of busy): ${p.inclusive.map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`  self (% of busy): ${p.self.map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log('  top functions (self %):');
      for (const [name, pct] of p.functions) console.log(`    ${pad(pct.toFixed(1), 5)}  ${name}`);
    }
  }
}
