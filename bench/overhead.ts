/**
 * npm run bench:overhead: each server's own cost per request, with PostgreSQL out of the way.
 * Both servers run with stub-agent.cjs: a warm-up on the real database keeps one answer per SQL
 * statement, then every statement is answered from memory. Each server is pinned to core 1 and
 * the load generator to core 0, so what is measured is one core's work for one server: CPU
 * (user and system) and bytes allocated per request, service against baseline, in rounds.
 * A steadier instrument than `npm run bench` for finding where the service spends more; the
 * full bench stays the judge. With BENCH_STUB_PROFILE=1 it also CPU-profiles each window
 * (100 µs sampling) and prints the functions with the most self time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad } from './load-generator';
import { median, summarizeCpuProfile, writeResults } from './report';
import { config, profileDir, scenarios, setup, TITLES, type Server } from './run';

const SERVER_CORE = '1';
const LOAD_CORE = '0';
const profiling = process.env.BENCH_STUB_PROFILE;

interface Window {
  server: string;
  scenario: string;
  requests: number;
  rps: number;
  errors: number;
  userUs: number;
  sysUs: number;
  allocatedBytes: number;
  gcs: number;
  profile?: string;
  heapProfile?: string;
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per function (self), from a sampled heap profile, largest first. */
function allocationSites(file: string, top: number): [string, number][] {
  const sites = new Map<string, number>();
  const walk = (node: HeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk((JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head);
  return [...sites.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** utime and stime of a process, in CPU ticks (1/100 s). */
function ticks(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), sys: Number(fields[12]) };
}

async function agentReport(server: Server): Promise<{ allocatedBytes: number; gcs: number; heapProfile?: string }> {
  const file = path.join(profileDir, `${server.child.pid}-${++server.profileWindows}.json`);
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  return JSON.parse(readFileSync(file, 'utf8')) as { allocatedBytes: number; gcs: number; heapProfile?: string };
}

async function main(): Promise<void> {
  if (!config.stubDb) throw new Error('run through npm run bench:overhead (BENCH_STUB_DB=1)');
  // Children inherit the affinity: the servers are moved to their own core once started.
  execFileSync('taskset', ['-p', '-c', LOAD_CORE, String(process.pid)]);
  const bench = await setup(Math.min(config.jobs, 10_000));
  const windows: Window[] = [];
  try {
    for (const server of [bench.service, bench.baseline])
      execFileSync('taskset', ['-a', '-p', '-c', SERVER_CORE, String(server.child.pid)], { stdio: 'ignore' });
    for (const scenario of scenarios(bench, config.durationS)) {
      // The warm-up runs on the real database, so its answers are the ones kept.
      for (const server of [bench.service, bench.baseline]) {
        await scenario.before?.();
        await runLoad(config.generator, scenario.load, {
          url: server.url,
          connections: config.connections,
          durationS: 3,
        });
        await scenario.after?.();
      }
      for (let round = 1; round <= config.rounds; round++) {
        for (const server of [bench.service, bench.baseline]) {
          await scenario.before?.();
          const pid = server.child.pid!;
          server.child.kill('SIGUSR2');
          const before = ticks(pid);
          const load = await runLoad(config.generator, scenario.load, {
            url: server.url,
            connections: config.connections,
            durationS: config.durationS,
          });
          const after = ticks(pid);
          server.child.kill('SIGUSR2');
          const report = await agentReport(server);
          await scenario.after?.();
          const perRequest = (value: number) => value / load.requests;
          const profile = path.join(profileDir, `${pid}-${server.profileWindows}.cpuprofile`);
          windows.push({
            server: server.name,
            scenario: scenario.name,
            requests: load.requests,
            rps: load.rps,
            errors: load.errors + load.non2xx,
            userUs: perRequest((after.user - before.user) * 10_000),
            sysUs: perRequest((after.sys - before.sys) * 10_000),
            allocatedBytes: perRequest(report.allocatedBytes),
            gcs: report.gcs,
            profile: existsSync(profile) ? profile : undefined,
            heapProfile: report.heapProfile,
          });
          const w = windows[windows.length - 1];
          console.log(
            `round ${round} ${scenario.name.padEnd(6)} ${server.name.padEnd(8)} ${w.rps.toFixed(0).padStart(6)} req/s` +
              `  user ${w.userUs.toFixed(0)} µs  sys ${w.sysUs.toFixed(0)} µs  ${(w.allocatedBytes / 1024).toFixed(1)} KiB  errors ${w.errors}`,
          );
        }
      }
    }
  } finally {
    await bench.teardown();
  }
  report(windows);
}

function report(windows: Window[]): void {
  console.log(
    `\n${config.rounds} rounds × ${config.durationS} s, ${config.connections} connections, SQL answered from memory, ` +
      `servers on core ${SERVER_CORE}, ${config.generator} on core ${LOAD_CORE}; medians of rounds; ratio = baseline ÷ service (higher is better)\n`,
  );
  console.log(
    `${'scenario'.padEnd(24)} ${'service µs'.padStart(10)} ${'baseline µs'.padStart(11)} ${'cpu ratio'.padStart(9)}` +
      ` ${'service KiB'.padStart(11)} ${'baseline KiB'.padStart(12)} ${'alloc ratio'.padStart(11)} ${'service req/s'.padStart(13)} ${'baseline req/s'.padStart(14)}`,
  );
  const rows: Record<string, unknown>[] = [];
  for (const scenario of [...new Set(windows.map((w) => w.scenario))]) {
    const of = (server: string) => windows.filter((w) => w.scenario === scenario && w.server === server);
    const cpu = (ws: Window[]) => median(ws.map((w) => w.userUs + w.sysUs));
    const kib = (ws: Window[]) => median(ws.map((w) => w.allocatedBytes / 1024));
    const rps = (ws: Window[]) => median(ws.map((w) => w.rps));
    const [a, b] = [of('service'), of('baseline')];
    const row = {
      scenario,
      serviceUs: cpu(a),
      baselineUs: cpu(b),
      cpuRatio: cpu(b) / cpu(a),
      serviceKiB: kib(a),
      baselineKiB: kib(b),
      allocRatio: kib(b) / kib(a),
      serviceRps: rps(a),
      baselineRps: rps(b),
    };
    rows.push(row);
    console.log(
      `${(TITLES[scenario] ?? scenario).padEnd(24)} ${row.serviceUs.toFixed(0).padStart(10)} ${row.baselineUs.toFixed(0).padStart(11)} ${row.cpuRatio.toFixed(2).padStart(9)}` +
        ` ${row.serviceKiB.toFixed(1).padStart(11)} ${row.baselineKiB.toFixed(1).padStart(12)} ${row.allocRatio.toFixed(2).padStart(11)} ${row.serviceRps.toFixed(0).padStart(13)} ${row.baselineRps.toFixed(0).padStart(14)}`,
    );
  }
  for (const w of windows.filter((x) => x.heapProfile)) {
    console.log(
      `\n=== ${w.scenario} ${w.server}: ${(w.allocatedBytes / 1024).toFixed(1)} KiB allocated per request; by function (sampled):`,
    );
    for (const [name, bytes] of allocationSites(w.heapProfile!, 30))
      console.log(`  ${(bytes / w.requests).toFixed(0).padStart(6)} B  ${name}`);
  }
  if (profiling === '1') {
    for (const w of windows.filter((x) => x.profile)) {
      const summary = summarizeCpuProfile(w.profile!, 25);
      console.log(
        `\n=== ${w.scenario} ${w.server}: ${((summary.busyMs * 1000) / w.requests).toFixed(0)} µs busy per request; self time per request:`,
      );
      for (const [name, pct] of summary.functions)
        console.log(`  ${(((pct / 100) * (summary.busyMs * 1000)) / w.requests).toFixed(1).padStart(6)} µs  ${name}`);
    }
  }
  console.log(
    `\nresults: ${writeResults('overhead-', { date: new Date().toISOString(), node: process.version, config, rows, windows })}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
