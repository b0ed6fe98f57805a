import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateSecret } from '../../src/webhooks/signing';
import { createJob, ISO_MS, sleep, startApi, type Json } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';
import { startReceiver, type Receiver, type ReceivedRequest } from '../utils/webhook-receiver';

const CALLBACK_SECRET = generateSecret();
/**
 * Deliveries wait until every transaction older than their event's has finished (the events
 * design's horizon, cluster-wide): on a shared PostgreSQL another database's long transaction
 * (a CREATE INDEX) holds them back, so waits are generous.
 */
const WAIT_MS = 45_000;

/** Polls `read` until `done` holds for its value (or WAIT_MS passes); returns the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(50);
    value = await read();
  }
  return value;
}

const verify = (secret: string, request: ReceivedRequest) =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as Json;

describe('webhooks: deliveries', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startApi({
      env: {
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_RETRY_SCHEDULE: '0.1,0.1',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
        WEBHOOK_CALLBACK_SECRET: CALLBACK_SECRET,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** A subscription on its own path of the receiver, so tests do not see each other's requests. */
  const subscribe = async (body: Json = {}) => {
    const path = `/${randomBytes(4).toString('hex')}`;
    const res = await t.http.post('/api/webhooks').send({ url: `${receiver.url}${path}`, ...body });
    expect(res.status).toBe(201);
    const requests = () => receiver.received.filter((r) => r.path === path);
    return Object.assign(res.body as Json, { path, requests }) as Json & { path: string; requests: typeof requests };
  };
  const deliveries = async (webhookId: string, query: Json = {}) => {
    const res = await t.http.get(`/api/webhooks/${webhookId}/deliveries`).query({ limit: 100, ...query });
    expect(res.status).toBe(200);
    return res.body.items as Json[];
  };
  const eventsOf = async (jobId: string) =>
    (await t.db.query(`SELECT id, type FROM job_events WHERE job_id = $1 ORDER BY tx_id, id`, [jobId])).rows;
  const lifecycle = async (jobType: 'video' | 'audio' = 'video', body: Json = {}) => {
    const job = await createJob(t, jobType, body);
    expect((await t.http.post(`/api/jobs/${job.id}/start`)).status).toBe(200);
    expect((await t.http.post(`/api/jobs/${job.id}/complete`).send({ result: { ok: true } })).status).toBe(200);
    return job;
  };

  it('POSTs every event of a job, in order, signed (Standard Webhooks), as the event itself', async () => {
    const hook = await subscribe();
    const job = await lifecycle();
    const events = await eventsOf(job.id);
    expect(events.map((e) => e.type)).toEqual(['job.created', 'job.started', 'job.completed']);
    await receiver.waitFor(() => hook.requests().length >= 3, WAIT_MS, 'three deliveries');
    const requests = hook.requests();
    const bodies = requests.map((request) => verify(hook.secret, request));
    expect(bodies.map((b) => b.id)).toEqual(events.map((e) => e.id));
    for (const [i, request] of requests.entries()) {
      expect(request.headers['webhook-id']).toBe(String(events[i].id));
      expect(request.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    }
    const completed = bodies[2];
    expect(Object.keys(completed)).toEqual(['id', 'type', 'job_id', 'job_type', 'created_at', 'data']);
    expect(completed).toMatchObject({ type: 'job.completed', job_id: job.id, job_type: 'video' });
    expect(completed.created_at).toMatch(ISO_MS);
    expect(completed.data).toMatchObject({
      id: job.id,
      status: 'completed',
      result: { ok: true },
      has_callback: false,
    });
    for (const field of ['created_at', 'updated_at', 'started_at', 'completed_at'])
      expect(completed.data[field]).toMatch(ISO_MS);
    expect(completed.data).not.toHaveProperty('callback_url');
    expect(completed.data).not.toHaveProperty('idempotency_key');

    const listed = await until(
      () => deliveries(hook.id),
      (list) => list.every((d) => d.status === 'succeeded'),
    );
    expect(listed).toHaveLength(3);
    expect(listed.map((d) => d.event_id)).toEqual(events.map((e) => e.id).reverse()); // newest first
    expect(listed[0]).toMatchObject({
      webhook_id: hook.id,
      job_id: job.id,
      event_type: 'job.completed',
      status: 'succeeded',
      attempts: 1,
      response_status: 200,
      response_body: 'ok',
      last_error: null,
      completed_at: expect.stringMatching(ISO_MS),
    });
    expect(await deliveries(hook.id, { status: 'pending' })).toEqual([]);
  });

  it('signs with both secrets during a rotation, and both verify', async () => {
    const hook = await subscribe({ event_types: ['job.created'] });
    const rotated = await t.http.post(`/api/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.body.secret).not.toBe(hook.secret);
    const job = await createJob(t);
    await receiver.waitFor(() => hook.requests().length === 1, WAIT_MS, 'the delivery');
    const [request] = hook.requests();
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, request)).toMatchObject({ type: 'job.created', job_id: job.id });
    expect(verify(hook.secret, request)).toMatchObject({ type: 'job.created', job_id: job.id });
    expect(() => verify(generateSecret(), request)).toThrow();
    // 24 hours later only the new secret signs.
    await t.db.query(`UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [
      hook.id,
    ]);
    await createJob(t);
    await receiver.waitFor(() => hook.requests().length === 2, WAIT_MS, 'the second delivery');
    const second = hook.requests()[1];
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(rotated.body.secret, second)).toMatchObject({ type: 'job.created' });
    expect(() => verify(hook.secret, second)).toThrow();
  });

  it('filters by event type and job type; disabled subscriptions get nothing', async () => {
    const audioDone = await subscribe({ event_types: ['job.completed'], job_types: ['audio'] });
    const paused = await subscribe();
    expect((await t.http.patch(`/api/webhooks/${paused.id}`).send({ enabled: false })).status).toBe(200);
    await lifecycle('video');
    const audio = await lifecycle('audio');
    await receiver.waitFor(() => audioDone.requests().length === 1, WAIT_MS, 'the audio completion');
    await sleep(300);
    expect(audioDone.requests().map((r) => verify(audioDone.secret, r))).toEqual([
      expect.objectContaining({ type: 'job.completed', job_id: audio.id }),
    ]);
    expect(await deliveries(audioDone.id)).toHaveLength(1);
    expect(paused.requests()).toEqual([]);
    expect(await deliveries(paused.id)).toEqual([]);
  });

  it("delivers a job's completion to its callback_url, signed with WEBHOOK_CALLBACK_SECRET", async () => {
    const path = `/resume/${randomBytes(4).toString('hex')}`;
    const job = await lifecycle('audio', { callback_url: `${receiver.url}${path}` });
    const failing = await createJob(t, 'audio', { callback_url: `${receiver.url}${path}-f` });
    expect((await t.http.post(`/api/jobs/${failing.id}/fail`).send({ error: 'corrupt file' })).status).toBe(200);
    await receiver.waitFor(
      () => receiver.received.filter((r) => r.path.startsWith(path)).length === 2,
      WAIT_MS,
      'callbacks',
    );
    await sleep(300);
    const callbacks = receiver.received.filter((r) => r.path.startsWith(path));
    expect(callbacks).toHaveLength(2);
    // job.created and job.started are not written for callbacks at all.
    const written = await t.db.query(
      `SELECT event_type FROM webhook_deliveries WHERE job_id = ANY($1) AND webhook_id IS NULL ORDER BY event_type`,
      [[job.id, failing.id]],
    );
    expect(written.rows.map((r) => r.event_type)).toEqual(['job.completed', 'job.failed']);
    const done = verify(
      CALLBACK_SECRET,
      callbacks.find((r) => r.path === path)!,
    );
    expect(done).toMatchObject({
      type: 'job.completed',
      job_id: job.id,
      data: { status: 'completed', has_callback: true },
    });
    expect(JSON.stringify(done)).not.toContain(path);
    const failed = verify(
      CALLBACK_SECRET,
      callbacks.find((r) => r.path === `${path}-f`)!,
    );
    expect(failed).toMatchObject({ type: 'job.failed', data: { error: 'corrupt file' } });
  });

  it('retries on the schedule, then fails for good; a replay sends it again (202)', async () => {
    const hook = await subscribe({ event_types: ['job.created'] });
    receiver.setReply((r) =>
      r.path === hook.path ? { status: 503, body: 'down for maintenance' } : { status: 200, body: 'ok' },
    );
    try {
      await createJob(t);
      await receiver.waitFor(() => hook.requests().length === 3, WAIT_MS, 'three attempts');
      const [failed] = await until(
        () => deliveries(hook.id, { status: 'failed' }),
        (list) => list.length > 0,
      );
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 3,
        response_status: 503,
        response_body: 'down for maintenance',
      });
      expect(failed!.last_error).toContain('503');
      const ids = new Set(hook.requests().map((r) => r.headers['webhook-id']));
      expect(ids).toEqual(new Set([String(failed!.event_id)])); // the same webhook-id on every retry
      const [first, second, third] = hook.requests().map((r) => r.at);
      expect(second - first).toBeGreaterThanOrEqual(70); // 100 ms −20 %, and some
      expect(third - second).toBeGreaterThanOrEqual(70);

      receiver.setReply(() => ({ status: 200, body: 'ok' }));
      const replay = await t.http.post(`/api/webhooks/${hook.id}/deliveries/${failed!.id}/retry`);
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ id: failed!.id, status: 'pending' });
      await receiver.waitFor(() => hook.requests().length === 4, WAIT_MS, 'the replay');
      await until(
        () => deliveries(hook.id, { status: 'succeeded' }),
        (list) => list.length > 0,
      );
      expect(await deliveries(hook.id)).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 4 })]);
      const unknown = await t.http.post(
        `/api/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`,
      );
      expect(unknown.status).toBe(404);
    } finally {
      receiver.setReply(() => ({ status: 200, body: 'ok' }));
    }
  });

  it('410 Gone disables the subscription', async () => {
    const hook = await subscribe();
    receiver.setReply((r) => (r.path === hook.path ? { status: 410 } : { status: 200, body: 'ok' }));
    try {
      await createJob(t);
      await receiver.waitFor(() => hook.requests().length === 1, WAIT_MS, 'the delivery');
      const webhook = await until(
        async () => (await t.http.get(`/api/webhooks/${hook.id}`)).body as Json,
        (body) => body.enabled === false,
      );
      expect(webhook).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('410') });
      expect(
        await until(
          () => deliveries(hook.id),
          (list) => list[0]?.status === 'failed',
        ),
      ).toEqual([expect.objectContaining({ status: 'failed', response_status: 410 })]);
      await createJob(t);
      await sleep(300);
      expect(hook.requests()).toHaveLength(1);
      expect(await deliveries(hook.id)).toHaveLength(1); // none written while disabled
      // Enabling it again clears the reason.
      const enabled = await t.http.patch(`/api/webhooks/${hook.id}`).send({ enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
    } finally {
      receiver.setReply(() => ({ status: 200, body: 'ok' }));
    }
  });

  it('does not follow redirects: a 302 is a failed attempt and its target never hears of it', async () => {
    const hook = await subscribe({ event_types: ['job.created'] });
    const elsewhere = await startReceiver();
    receiver.setReply((r) =>
      r.path === hook.path
        ? { status: 302, headers: { location: `${elsewhere.url}/stolen` } }
        : { status: 200, body: 'ok' },
    );
    try {
      await createJob(t);
      await receiver.waitFor(() => hook.requests().length === 1, WAIT_MS, 'the delivery');
      const [delivery] = await until(
        () => deliveries(hook.id),
        (list) => list[0]?.response_status != null,
      );
      expect(delivery).toMatchObject({ response_status: 302 });
      expect(delivery.status).not.toBe('succeeded');
      expect(elsewhere.received).toEqual([]);
    } finally {
      receiver.setReply(() => ({ status: 200, body: 'ok' }));
      await elsewhere.close();
    }
  });

  it('reads at most 64 KiB of an answer and keeps 1 KiB', async () => {
    const hook = await subscribe({ event_types: ['job.created'] });
    const big = 'é'.repeat(40 * 1024); // 80 KiB in UTF-8
    receiver.setReply((r) => (r.path === hook.path ? { status: 200, body: big } : { status: 200, body: 'ok' }));
    try {
      await createJob(t);
      const [delivery] = await until(
        () => deliveries(hook.id),
        (list) => list[0]?.status === 'succeeded',
      );
      expect(delivery).toMatchObject({ status: 'succeeded', response_status: 200 });
      expect(Buffer.byteLength(delivery!.response_body)).toBeLessThanOrEqual(1024);
      expect(delivery!.response_body).toBe('é'.repeat(512));
    } finally {
      receiver.setReply(() => ({ status: 200, body: 'ok' }));
    }
  });

  it('exposes deliveries by outcome, their latency and the backlog as metrics', async () => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/webhook_delivery_attempts_total\{outcome="succeeded",target="webhook"\} [1-9]/);
    expect(res.text).toMatch(/webhook_delivery_attempts_total\{outcome="retrying",target="webhook"\} [1-9]/);
    expect(res.text).toMatch(/webhook_delivery_attempts_total\{outcome="failed",target="webhook"\} [1-9]/);
    expect(res.text).toMatch(/webhook_delivery_attempts_total\{outcome="gone",target="webhook"\} 1/);
    expect(res.text).toMatch(/webhook_delivery_attempts_total\{outcome="succeeded",target="callback"\} 2/);
    expect(res.text).toMatch(/webhook_delivery_duration_seconds_count\{outcome="succeeded"\} [1-9]/);
    expect(res.text).toMatch(/webhook_delivery_lag_seconds_count [1-9]/);
    expect(res.text).toMatch(/webhook_deliveries_pending\{state="due"\} \d+/);
  });
});
