/**
 * Preloaded (node -r bench/profile-agent.cjs …) into the service and the baseline when
 * BENCH_PROFILE=1. It counts the SQL statements the process sends through pg, and CPU-profiles
 * the process in-process (node:inspector), both only between two SIGUSR2 signals: the first
 * starts a window, the second writes BENCH_PROFILE_DIR/<pid>-<n>.cpuprofile and .queries.json.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { Session } = require('node:inspector');
const { Client } = require('pg');

const dir = process.env.BENCH_PROFILE_DIR || '.';
let counts = null; // statement name (or text) → times sent, while a window is open
let window = 0;

const query = Client.prototype.query;
Client.prototype.query = function countedQuery(config, ...rest) {
  if (counts) {
    const key = typeof config === 'string' ? config : config && (config.name || config.text);
    const label = String(key).replace(/\s+/g, ' ').slice(0, 80);
    counts[label] = (counts[label] || 0) + 1;
  }
  return query.call(this, config, ...rest);
};

const session = new Session();
session.connect();
process.on('SIGUSR2', () => {
  if (!counts) {
    counts = {};
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
    );
    return;
  }
  const done = counts;
  counts = null;
  window += 1;
  const base = path.join(dir, `${process.pid}-${window}`);
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(`${base}.cpuprofile`, JSON.stringify(result.profile));
    writeFileSync(`${base}.queries.json`, JSON.stringify(done));
  });
});
