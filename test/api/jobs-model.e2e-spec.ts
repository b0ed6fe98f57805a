import fc from 'fast-check';
import { LeaseSweeperService } from '../../src/jobs/lease-sweeper.service';
import { startApi, type Json } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';

/** What the service must hold for one job, as the model predicts it. */
interface ModelJob {
  id: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  priority: number;
  attempts: number;
  max_attempts: number;
  worker_id: string | null;
  /** Claimed (with a lease), as opposed to never claimed or recovered. */
  leased: boolean;
  /** started_at is set (by a claim; cleared by retry and by a lease recovered to pending). */
  started: boolean;
}

interface Model {
  /** In creation order, which is claim order among equal priorities. */
  jobs: ModelJob[];
}

interface Real {
  instances: TestApp[];
}

const WORKERS = ['worker-a', 'worker-b'];
const LEASE_SECONDS = 60;

/** Checks an answered job against the model's job, field by field. */
function expectJob(answer: Json, job: ModelJob): void {
  expect({
    id: answer.id,
    status: answer.status,
    priority: answer.priority,
    attempts: answer.attempts,
    max_attempts: answer.max_attempts,
    worker_id: answer.worker_id,
    leased: answer.lease_expires_at !== null,
  }).toEqual({
    id: job.id,
    status: job.status,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.max_attempts,
    worker_id: job.worker_id,
    leased: job.leased,
  });
  // The fields that follow from the state.
  const finished = job.status === 'completed' || job.status === 'failed';
  expect({
    started_at: answer.started_at !== null,
    completed_at: answer.completed_at !== null,
    processing_time_ms: answer.processing_time_ms !== null,
    error: answer.error !== null,
  }).toEqual({
    started_at: job.started,
    completed_at: finished,
    processing_time_ms: finished && job.started,
    error: job.status === 'failed',
  });
}

/** After every command: every row in the database is what the model says, whichever instance wrote it. */
let checkedSteps = 0;
async function expectDatabaseMatches(model: Model, real: Real): Promise<void> {
  checkedSteps++;
  const { rows } = await real.instances[0].db.query(
    `SELECT id, status, priority, attempts, max_attempts, worker_id, lease_expires_at IS NOT NULL AS leased
       FROM jobs ORDER BY created_at, id`,
  );
  expect(rows).toEqual(
    model.jobs.map(({ id, status, priority, attempts, max_attempts, worker_id, leased }) => ({
      id,
      status,
      priority,
      attempts,
      max_attempts,
      worker_id,
      leased,
    })),
  );
}

type Command = fc.AsyncCommand<Model, Real>;

class Create implements Command {
  constructor(
    readonly instance: number,
    readonly priority: number,
    readonly maxAttempts: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const res = await real.instances[this.instance].http.post('/api/media/video').send({
      media_url: 'https://cdn.example.com/model.mp4',
      priority: this.priority,
      max_attempts: this.maxAttempts,
    });
    expect(res.status).toBe(201);
    const job: ModelJob = {
      id: res.body.id,
      status: 'pending',
      priority: this.priority,
      attempts: 0,
      max_attempts: this.maxAttempts,
      worker_id: null,
      leased: false,
      started: false,
    };
    expectJob(res.body, job);
    model.jobs.push(job);
    await expectDatabaseMatches(model, real);
  }
  toString = () => `create@${this.instance}(priority ${this.priority}, max_attempts ${this.maxAttempts})`;
}

class Claim implements Command {
  constructor(
    readonly instance: number,
    readonly worker: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const res = await real.instances[this.instance].http
      .post('/api/jobs/claim')
      .send({ worker_id: this.worker, lease_seconds: LEASE_SECONDS });
    // Highest priority first, then the oldest.
    const next = model.jobs
      .filter((job) => job.status === 'pending')
      .sort((a, b) => b.priority - a.priority || model.jobs.indexOf(a) - model.jobs.indexOf(b))[0];
    if (!next) {
      expect({ status: res.status, body: res.text }).toEqual({ status: 204, body: '' });
      return;
    }
    expect(res.status).toBe(200);
    Object.assign(next, {
      status: 'processing',
      attempts: next.attempts + 1,
      worker_id: this.worker,
      leased: true,
      started: true,
    });
    expectJob(res.body, next);
    await expectDatabaseMatches(model, real);
  }
  toString = () => `claim@${this.instance}(${this.worker})`;
}

/** A command on one existing job (picked by index modulo the number of jobs). */
abstract class OnJob implements Command {
  constructor(
    readonly instance: number,
    readonly pick: number,
  ) {}
  check = (model: Readonly<Model>) => model.jobs.length > 0;
  protected job(model: Model): ModelJob {
    return model.jobs[this.pick % model.jobs.length];
  }
  abstract run(model: Model, real: Real): Promise<void>;
  abstract toString(): string;

  /** Sends the action; expects 409 (and no change) unless `allowed`, else 200 and the model's new state. */
  protected async act(
    model: Model,
    real: Real,
    path: string,
    body: object | undefined,
    allowed: boolean,
    change: () => void,
  ) {
    const job = this.job(model);
    const req = real.instances[this.instance].http.post(`/api/jobs/${job.id}/${path}`);
    const res = body === undefined ? await req : await req.send(body);
    if (!allowed) {
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 409, error: 'Conflict' });
    } else {
      expect(res.status).toBe(200);
      change();
      expectJob(res.body, job);
    }
    await expectDatabaseMatches(model, real);
  }
}

class Heartbeat extends OnJob {
  constructor(
    instance: number,
    pick: number,
    readonly worker: string,
  ) {
    super(instance, pick);
  }
  async run(model: Model, real: Real) {
    const job = this.job(model);
    const allowed = job.status === 'processing' && job.leased && job.worker_id === this.worker;
    await this.act(
      model,
      real,
      'heartbeat',
      { worker_id: this.worker, lease_seconds: LEASE_SECONDS },
      allowed,
      () => {},
    );
  }
  toString = () => `heartbeat@${this.instance}(#${this.pick}, ${this.worker})`;
}

class Complete extends OnJob {
  constructor(
    instance: number,
    pick: number,
    readonly worker: string | undefined,
  ) {
    super(instance, pick);
  }
  async run(model: Model, real: Real) {
    const job = this.job(model);
    const allowed = job.status === 'processing' && (this.worker === undefined || job.worker_id === this.worker);
    const body = { result: { ok: true }, ...(this.worker ? { worker_id: this.worker } : {}) };
    await this.act(model, real, 'complete', body, allowed, () =>
      Object.assign(job, { status: 'completed', leased: false }),
    );
  }
  toString = () => `complete@${this.instance}(#${this.pick}, ${this.worker ?? 'any worker'})`;
}

class Fail extends OnJob {
  constructor(
    instance: number,
    pick: number,
    readonly worker: string | undefined,
  ) {
    super(instance, pick);
  }
  async run(model: Model, real: Real) {
    const job = this.job(model);
    const allowed =
      this.worker === undefined
        ? job.status === 'pending' || job.status === 'processing'
        : job.status === 'processing' && job.worker_id === this.worker;
    const body = { error: 'model says no', ...(this.worker ? { worker_id: this.worker } : {}) };
    await this.act(model, real, 'fail', body, allowed, () => Object.assign(job, { status: 'failed', leased: false }));
  }
  toString = () => `fail@${this.instance}(#${this.pick}, ${this.worker ?? 'any worker'})`;
}

class Retry extends OnJob {
  async run(model: Model, real: Real) {
    const job = this.job(model);
    await this.act(model, real, 'retry', undefined, job.status === 'failed', () =>
      Object.assign(job, { status: 'pending', attempts: 0, worker_id: null, leased: false, started: false }),
    );
  }
  toString = () => `retry@${this.instance}(#${this.pick})`;
}

/** The job's lease runs out (moved into the past) and one instance's sweeper recovers it. */
class ExpireLease extends OnJob {
  check = (model: Readonly<Model>) =>
    model.jobs.length > 0 &&
    model.jobs[this.pick % model.jobs.length].status === 'processing' &&
    model.jobs[this.pick % model.jobs.length].leased;
  async run(model: Model, real: Real) {
    const job = this.job(model);
    const app = real.instances[this.instance];
    await app.db.query(`UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [job.id]);
    expect(await app.app.get(LeaseSweeperService).sweep()).toBe(1);
    if (job.attempts >= job.max_attempts) Object.assign(job, { status: 'failed', leased: false });
    else Object.assign(job, { status: 'pending', worker_id: null, leased: false, started: false });
    const res = await app.http.get(`/api/jobs/${job.id}`).expect(200);
    expectJob(res.body, job);
    if (job.status === 'failed') expect(res.body.error).toMatch(/lease/i);
    await expectDatabaseMatches(model, real);
  }
  toString = () => `expire-lease@${this.instance}(#${this.pick})`;
}

const RUNS = Number(process.env.MODEL_RUNS ?? 40);

/**
 * Model-based: random sequences of create, claim, heartbeat, complete, fail, retry and lease
 * expiry, spread over two instances on one database, each answer and the whole table checked
 * against a model of API.md's rules after every step.
 */
describe('jobs: two instances against a model of the lifecycle and leases (fast-check commands)', () => {
  let instances: TestApp[];
  beforeAll(async () => {
    const first = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    const second = await startApi({ databaseUrl: first.databaseUrl, env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    instances = [first, second];
  });
  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
  });

  it(`every answer and every row follows the model (${RUNS} sequences)`, async () => {
    const instance = fc.integer({ min: 0, max: 1 });
    const pick = fc.nat(20);
    const worker = fc.constantFrom(...WORKERS);
    const commands = [
      fc
        .tuple(instance, fc.integer({ min: -2, max: 2 }), fc.integer({ min: 1, max: 3 }))
        .map(([i, p, m]) => new Create(i, p, m)),
      fc.tuple(instance, worker).map(([i, w]) => new Claim(i, w)),
      fc.tuple(instance, pick, worker).map(([i, j, w]) => new Heartbeat(i, j, w)),
      fc.tuple(instance, pick, fc.option(worker, { nil: undefined })).map(([i, j, w]) => new Complete(i, j, w)),
      fc.tuple(instance, pick, fc.option(worker, { nil: undefined })).map(([i, j, w]) => new Fail(i, j, w)),
      fc.tuple(instance, pick).map(([i, j]) => new Retry(i, j)),
      fc.tuple(instance, pick).map(([i, j]) => new ExpireLease(i, j)),
    ];
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (sequence) => {
        await instances[0].db.query('DELETE FROM jobs');
        await fc.asyncModelRun(() => ({ model: { jobs: [] }, real: { instances } }), sequence);
        ran++;
      }),
      { numRuns: RUNS, seed: process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED) },
    );
    console.log(`model: ${ran} sequences, ${checkedSteps} steps checked against the database`);
    expect(ran).toBe(RUNS);
    expect(checkedSteps).toBeGreaterThan(RUNS * 5);
  }, 300_000);
});
