/**
 * npm run bench:events: commit-to-client latency and throughput of the job event stream.
 *
 * Two service instances (node dist/main.js) on one throwaway database; N writers create jobs
 * through both instances as fast as they are answered; M stream clients, spread over both
 * instances, follow GET /api/events/stream. For every job.created a client receives, the
 * latency is measured from the writer's answer (201, so the transaction had committed: a lower
 * bound of commit-to-client) and from the writer's request (an upper bound). Also checks that
 * every client received every job exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { freePort } from '../test/utils/free-port';
import { createDatabase, dropDatabase } from './seed';

const config = {
  adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
  writers: Number(process.env.BENCH_EVENT_WRITERS ?? 8),
  clients: Number(process.env.BENCH_EVENT_CLIENTS ?? 50),
  durationS: Number(process.env.BENCH_DURATION_S ?? 10),
};

interface Instance {
  child: ChildProcess;
  port: number;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      AUTH_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { child, port };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('service did not start');
}

/** Follows a stream; calls `onCreated(jobId)` at each job.created as it arrives. */
function follow(port: number, onCreated: (jobId: string) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/api/events/stream?type=job.created', agent: false },
      (response) => {
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.includes(': connected')) resolve(request);
            const data = frame.split('\n').find((line) => line.startsWith('data: '));
            if (data) onCreated((JSON.parse(data.slice(6)) as { job_id: string }).job_id);
          }
        });
      },
    );
    request.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const name = `bench_events_${randomBytes(3).toString('hex')}`;
  const databaseUrl = await createDatabase(config.adminUrl, name);
  const instances: Instance[] = [];
  const streams: http.ClientRequest[] = [];
  try {
    instances.push(await startInstance(databaseUrl)); // applies the migrations
    instances.push(await startInstance(databaseUrl));

    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    const received = new Map<string, number>();
    let delivered = 0;
    const onCreated = (jobId: string) => {
      const now = performance.now();
      delivered++;
      received.set(jobId, (received.get(jobId) ?? 0) + 1);
      const answer = answeredAt.get(jobId);
      const request = sentAt.get(jobId);
      if (answer !== undefined) fromAnswer.push(now - answer);
      if (request !== undefined) fromRequest.push(now - request);
    };
    for (let i = 0; i < config.clients; i++) {
      streams.push(await follow(instances[i % instances.length].port, onCreated));
    }

    const agent = new http.Agent({ keepAlive: true, maxSockets: config.writers * 2 });
    let created = 0;
    const stopAt = performance.now() + config.durationS * 1000;
    const started = performance.now();
    const writer = async (n: number) => {
      for (let i = 0; performance.now() < stopAt; i++) {
        const port = instances[(n + i) % instances.length].port;
        const before = performance.now();
        const body = await new Promise<string>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port, path: '/api/media/video', method: 'POST', agent },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (text += chunk));
              res.on('end', () => resolve(text));
            },
          );
          req.on('error', reject);
          req.setHeader('content-type', 'application/json');
          req.end(JSON.stringify({ media_url: `https://bench.invalid/events/${n}-${i}.mp4` }));
        });
        const id = (JSON.parse(body) as { id: string }).id;
        answeredAt.set(id, performance.now());
        sentAt.set(id, before);
        created++;
      }
    };
    await Promise.all(Array.from({ length: config.writers }, (_, n) => writer(n)));
    const writeSeconds = (performance.now() - started) / 1000;
    // Let the last events arrive.
    const deadline = performance.now() + 10_000;
    while (delivered < created * config.clients && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    // Events delivered before the writer's answer had arrived have no answer time yet: they
    // count in the request-based figures only (latency from the answer would be negative).
    const answerSorted = [...fromAnswer].sort((x, y) => x - y);
    const requestSorted = [...fromRequest].sort((x, y) => x - y);
    const missing = [...sentAt.keys()].filter((id) => (received.get(id) ?? 0) < config.clients).length;
    const repeated = [...received.values()].filter((count) => count > config.clients).length;
    const fmt = (values: number[]) =>
      [50, 95, 99].map((p) => `p${p} ${percentile(values, p).toFixed(1)} ms`).join(', ');
    console.log(
      `\nbench:events: ${config.writers} writers, ${config.clients} stream clients over ${instances.length} instances, ${config.durationS} s`,
    );
    console.log(`  jobs created          ${created} (${(created / writeSeconds).toFixed(0)} events written/s)`);
    console.log(`  events delivered      ${delivered} (${(delivered / seconds).toFixed(0)} events/s to clients)`);
    console.log(`  answer -> client      ${fmt(answerSorted)}   (lower bound of commit-to-client)`);
    console.log(`  request -> client     ${fmt(requestSorted)}   (upper bound)`);
    console.log(`  jobs some client missed: ${missing}; jobs delivered twice to a client: ${repeated}`);
  } finally {
    for (const stream of streams) stream.destroy();
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((instance) => new Promise((resolve) => instance.child.once('exit', resolve))));
    await dropDatabase(config.adminUrl, name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
