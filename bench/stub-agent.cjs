/**
 * Preloaded (node -r bench/stub-agent.cjs …) by `npm run bench:overhead` into the service and
 * the baseline. Until the first SIGUSR2 every pg query runs for real and its answer is kept, per
 * statement name; from then on a query with a kept answer is answered from memory at once (a
 * deep copy of the rows, on the next microtask), without a round trip. What is left is each server's
 * own work per request: HTTP, validation, routing, serialization, hooks, pg's client-side code.
 * From the first SIGUSR2 to the second (and so on in pairs) it counts the bytes allocated in new
 * space and the GCs, written to BENCH_PROFILE_DIR/<pid>-<n>.json at the second, and with
 * BENCH_STUB_PROFILE=1 a CPU profile (100 µs sampling) of the window, with =heap a sampled
 * allocation profile (<pid>-<n>.heapprofile: where the bytes were allocated, collected or not).
 */
'use strict';
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { Session } = require('node:inspector');
const v8 = require('node:v8');
const { Client } = require('pg');

const dir = process.env.BENCH_PROFILE_DIR || '.';
/** BENCH_STUB_PROFILE: '1' a CPU profile of each window, 'heap' a sampled allocation profile (every allocation, collected or not). */
const profile = process.env.BENCH_STUB_PROFILE;
const answers = new Map(); // statement name → a kept pg Result
let stubbed = false;

/** A fresh copy of arrays and plain objects, all the way down (a server may rewrite what it got); Dates are shared. */
function copy(value) {
  if (Array.isArray(value)) return value.map(copy);
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  const out = {};
  for (const key of Object.keys(value)) out[key] = copy(value[key]);
  return out;
}

const query = Client.prototype.query;
Client.prototype.query = function stubbedQuery(config, values, callback) {
  const name = config && typeof config === 'object' ? config.name : undefined;
  if (stubbed && name && answers.has(name)) {
    const kept = answers.get(name);
    const result = { ...kept, rows: copy(kept.rows) };
    const cb = typeof values === 'function' ? values : callback || (config && config.callback);
    if (cb) {
      queueMicrotask(() => cb(null, result));
      return undefined;
    }
    return Promise.resolve(result);
  }
  const keep = (result) => {
    if (name && result) answers.set(name, result);
    return result;
  };
  const cb = typeof values === 'function' ? values : callback;
  if (cb) {
    const args = typeof values === 'function' ? [config] : [config, values];
    return query.call(this, ...args, (error, result) => cb(error, error ? result : keep(result)));
  }
  const sent = query.call(this, config, values);
  return sent && typeof sent.then === 'function' ? sent.then(keep) : sent;
};

// Allocation: new space grows only by allocation, so the bytes allocated in a window are what
// it held before each GC minus what it kept after the previous one (v8.GCProfiler reports both).
const newSpace = (stats) => stats.heapSpaceStatistics.find((s) => s.spaceName === 'new_space').spaceUsedSize;
const newSpaceNow = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
let gcProfiler;
let newSpaceAtStart = 0;
function allocationSince() {
  const { statistics } = gcProfiler.stop();
  let bytes = 0;
  let previous = newSpaceAtStart;
  let minorGcs = 0;
  for (const gc of statistics) {
    bytes += newSpace(gc.beforeGC) - previous;
    previous = newSpace(gc.afterGC);
    if (gc.gcType === 'Scavenge' || gc.gcType === 'MinorMarkSweep') minorGcs++;
  }
  bytes += newSpaceNow() - previous;
  return { allocatedBytes: bytes, gcs: statistics.length, minorGcs };
}

const session = profile ? new Session() : undefined;
if (session) session.connect();
let window = 0;
let start = null;
process.on('SIGUSR2', () => {
  stubbed = true;
  if (!start) {
    start = true;
    gcProfiler = new v8.GCProfiler();
    newSpaceAtStart = newSpaceNow();
    gcProfiler.start();
    if (profile === 'heap')
      session.post('HeapProfiler.enable', () =>
        session.post('HeapProfiler.startSampling', {
          samplingInterval: 512,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        }),
      );
    else if (session)
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 100 }, () => session.post('Profiler.start')),
      );
    return;
  }
  window += 1;
  const base = path.join(dir, `${process.pid}-${window}`);
  const stats = allocationSince();
  start = null;
  const write = (cpuProfile) => {
    writeFileSync(`${base}.json`, JSON.stringify(stats));
    if (cpuProfile) writeFileSync(`${base}.cpuprofile`, JSON.stringify(cpuProfile));
  };
  if (profile === 'heap') {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      stats.heapProfile = error ? String(error) : `${base}.heapprofile`;
      if (!error) writeFileSync(`${base}.heapprofile`, JSON.stringify(result.profile));
      write();
    });
  } else if (session) session.post('Profiler.stop', (error, result) => write(error ? undefined : result.profile));
  else write();
});
