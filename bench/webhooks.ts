/**
 * npm run bench:webhooks: the compiled service with one subscription to a local receiver;
 * BENCH_WEBHOOK_JOBS jobs are created at BENCH_CONNECTIONS concurrent requests, and every
 * job.created delivery is timed from the create's request (an upper bound on its commit) and
 * from its 201 answer (after the commit) to its receipt. Reports deliveries/s and percentiles.
 * Default retry schedule and settings: a healthy receiver, as the target (p95 < 1 s) says.
 *
 * PostgreSQL: an embedded server of its own by default, because deliveries (like event
 * readers) wait until every older writing transaction of the *cluster* has finished: on a
 * shared server another database's long write (a bulk seed, a CREATE INDEX) delays them all.
 * BENCH_DATABASE_URL measures on a given server instead (as admin connection).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../test/utils/free-port';

const ROOT = path.resolve(__dirname, '..');
let adminUrl = process.env.BENCH_DATABASE_URL ?? '';
const jobs = Number(process.env.BENCH_WEBHOOK_JOBS ?? 2000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function admin<T>(sql: string): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql)) as T;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  let embedded: EmbeddedPostgres | undefined;
  let root = '';
  if (!adminUrl) {
    root = await mkdtemp(path.join(tmpdir(), 'media-analysis-bench-webhooks-'));
    await chmod(root, 0o755); // as root, the server runs as the postgres OS user
    embedded = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: await freePort() });
    adminUrl = embedded.url;
  }
  console.log(`PostgreSQL: ${embedded ? 'embedded, of its own' : new URL(adminUrl).host}`);
  try {
    await measure();
  } finally {
    await embedded?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }
}

async function measure(): Promise<void> {
  const received = new Map<string, number>(); // job id → receipt of its job.created
  let deliveries = 0;
  let first = 0;
  let last = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const now = performance.now();
      deliveries++;
      first ||= now;
      last = now;
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { type: string; job_id: string };
      if (event.type === 'job.created' && !received.has(event.job_id)) received.set(event.job_id, now);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`;

  const db = `bench_webhooks_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${db}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${db}`;
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      AUTH_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: dbUrl.toString(),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const api = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${api}/health/live`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error(`service did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const post = (url: string, body: unknown) =>
      fetch(`${api}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const hook = await post('/api/webhooks', { url: receiverUrl, event_types: ['job.created'] });
    if (hook.status !== 201) throw new Error(`subscribe: ${hook.status} ${await hook.text()}`);

    const sent = new Map<string, { requested: number; answered: number }>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < jobs) {
          next++;
          const requested = performance.now();
          const res = await post('/api/media/video', { media_url: 'https://cdn.example.com/bench.mp4' });
          const answered = performance.now();
          if (res.status !== 201) throw new Error(`create: ${res.status}`);
          sent.set(((await res.json()) as { id: string }).id, { requested, answered });
        }
      }),
    );
    const createdIn = (performance.now() - started) / 1000;
    const deadline = Date.now() + 120_000;
    while (received.size < jobs && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const fromRequest: number[] = [];
    const fromAnswer: number[] = [];
    for (const [id, at] of sent) {
      const receipt = received.get(id);
      if (receipt === undefined) continue;
      fromRequest.push(receipt - at.requested);
      fromAnswer.push(receipt - at.answered);
    }
    fromRequest.sort((a, b) => a - b);
    fromAnswer.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log(
      `jobs created: ${jobs} in ${createdIn.toFixed(1)} s (${(jobs / createdIn).toFixed(0)}/s, ${connections} connections)`,
    );
    console.log(`deliveries received: ${deliveries} (${received.size}/${jobs} distinct job.created)`);
    console.log(`deliveries/s (first to last receipt): ${(deliveries / ((last - first) / 1000)).toFixed(0)}`);
    console.log(
      `commit → receipt, from the 201 answer: p50 ${ms(percentile(fromAnswer, 50))}, p95 ${ms(percentile(fromAnswer, 95))}, p99 ${ms(percentile(fromAnswer, 99))}, max ${ms(fromAnswer[fromAnswer.length - 1])}`,
    );
    console.log(
      `             from the request sent: p50 ${ms(percentile(fromRequest, 50))}, p95 ${ms(percentile(fromRequest, 95))}, p99 ${ms(percentile(fromRequest, 99))}`,
    );
    if (received.size < jobs) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    receiver.close();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
