import { randomBytes } from 'node:crypto';
import { generateSecret } from '../../src/webhooks/signing';
import { createJob, expectError, ISO_MS, startApi, UNKNOWN_ID, type Json } from '../utils/fixtures';
import type { TestApp } from '../utils/test-app';
import { startReceiver, type Receiver } from '../utils/webhook-receiver';

const SECRETS_KEY = randomBytes(32).toString('base64');
const CALLBACK_SECRET = generateSecret();

const WEBHOOK_ENV = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,169.254.169.254',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_RETRY_SCHEDULE: '0.2,0.2',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_SECRETS_KEY: SECRETS_KEY,
  WEBHOOK_CALLBACK_SECRET: CALLBACK_SECRET,
};

describe('webhooks: subscriptions API', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApi({ env: WEBHOOK_ENV });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const subscribe = async (body: Json = {}) => {
    const res = await t.http.post('/api/webhooks').send({ url: `${receiver.url}/hooks`, ...body });
    expect(res.status).toBe(201);
    return res.body as Json;
  };
  const countWebhooks = async () => Number((await t.db.query('SELECT count(*) FROM webhooks')).rows[0].count);

  it('creates, reads, lists, changes and deletes a subscription; the secret is answered only on create', async () => {
    const created = await subscribe({ event_types: ['job.completed'], job_types: ['audio'], description: 'n8n' });
    expect(created).toEqual({
      id: expect.any(String),
      url: `${receiver.url}/hooks`,
      description: 'n8n',
      event_types: ['job.completed'],
      job_types: ['audio'],
      enabled: true,
      disabled_reason: null,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const { secret, ...answer } = created;
    const got = await t.http.get(`/api/webhooks/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(answer);
    const list = await t.http.get('/api/webhooks').query({ limit: 100 });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(answer);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const patched = await t.http
      .patch(`/api/webhooks/${created.id}`)
      .send({ event_types: ['job.failed', 'job.failed'], enabled: false, description: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      event_types: ['job.failed'],
      job_types: ['audio'],
      enabled: false,
      description: 'n8n',
    });

    expect((await t.http.delete(`/api/webhooks/${created.id}`)).status).toBe(204);
    expectError(await t.http.get(`/api/webhooks/${created.id}`), 404);
    expectError(await t.http.delete(`/api/webhooks/${created.id}`), 404);
    expectError(await t.http.patch(`/api/webhooks/${UNKNOWN_ID}`).send({ enabled: true }), 404);
    expectError(await t.http.post(`/api/webhooks/${UNKNOWN_ID}/rotate-secret`), 404);
    expectError(await t.http.get(`/api/webhooks/${UNKNOWN_ID}/deliveries`), 404);
    expectError(await t.http.get('/api/webhooks/not-a-uuid'), 400, 'id must be a UUID');
  });

  it('stores the secret sealed: a dump of the table does not contain it', async () => {
    const { id, secret } = await subscribe();
    const { rows } = await t.db.query(`SELECT row_to_json(w)::text AS dump FROM webhooks w WHERE id = $1`, [id]);
    expect(rows[0].dump).toContain('enc:v1:');
    expect(rows[0].dump).not.toContain(secret.slice(6));
    const rotated = await t.http.post(`/api/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const after = (await t.db.query(`SELECT row_to_json(w)::text AS dump FROM webhooks w WHERE id = $1`, [id])).rows[0];
    expect(after.dump).not.toContain(rotated.body.secret.slice(6));
    expect(after.dump).not.toContain(secret.slice(6));
  });

  it.each([
    [{ url: 'ftp://127.0.0.1/x' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'https://127.0.0.1/' + 'x'.repeat(2048) }, 'url must be at most 2048'],
    [{ event_types: ['job.exploded'] }, 'event_types'],
    [{ event_types: [] }, 'event_types'],
    [{ event_types: 'job.created' }, 'event_types'],
    [{ job_types: ['image'] }, 'job_types'],
    [{ description: 'x'.repeat(501) }, 'description'],
    [{ secret: generateSecret() }, 'property secret should not exist'],
  ])('refuses %j with a 400 naming the field, writing nothing', async (patch, mentions) => {
    const before = await countWebhooks();
    const res = await t.http.post('/api/webhooks').send({ url: `${receiver.url}/hooks`, ...patch });
    expectError(res, 400, mentions);
    expect(await countWebhooks()).toBe(before);
  });

  it('refuses a bad url, event type or job type in a PATCH too', async () => {
    const { id } = await subscribe();
    expectError(await t.http.patch(`/api/webhooks/${id}`).send({ url: 'file:///etc/passwd' }), 400, 'url');
    expectError(await t.http.patch(`/api/webhooks/${id}`).send({ url: 'http://169.254.169.254/' }), 400, 'url');
    expectError(await t.http.patch(`/api/webhooks/${id}`).send({ event_types: ['nope'] }), 400, 'event_types');
    expectError(await t.http.patch(`/api/webhooks/${id}`).send({ job_types: ['image'] }), 400, 'job_types');
    expectError(await t.http.patch(`/api/webhooks/${id}`).send({ enabled: 'yes' }), 400, 'enabled');
  });

  it('refuses 169.254.169.254 even when WEBHOOK_ALLOWED_HOSTS lists it', async () => {
    expectError(
      await t.http.post('/api/webhooks').send({ url: 'http://169.254.169.254/latest/meta-data/' }),
      400,
      /url .*link-local/,
    );
  });

  it('pages through subscriptions newest first', async () => {
    for (let i = 0; i < 3; i++) await subscribe({ description: `page-${i}` });
    const first = await t.http.get('/api/webhooks').query({ limit: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await t.http.get('/api/webhooks').query({ limit: 2, cursor: first.body.next_cursor });
    const ids = [...first.body.items, ...second.body.items].map((w: Json) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    expectError(await t.http.get('/api/webhooks').query({ limit: 0 }), 400, 'limit');
    expectError(await t.http.get('/api/webhooks').query({ status: 'x' }), 400, 'status');
  });

  it('per-job callback_url: validated, write-only, answers say has_callback', async () => {
    const job = await createJob(t, 'audio', { callback_url: `${receiver.url}/resume/1` });
    expect(job.has_callback).toBe(true);
    expect(JSON.stringify(job)).not.toContain('/resume/1');
    const detail = await t.http.get(`/api/jobs/${job.id}`);
    expect(detail.body.has_callback).toBe(true);
    expect(JSON.stringify(detail.body)).not.toContain('/resume/1');
    expect((await createJob(t, 'audio')).has_callback).toBe(false);
    expectError(
      await t.http
        .post('/api/media/audio')
        .send({ media_url: 'https://cdn.example.com/a.mp3', callback_url: 'ftp://x/' }),
      400,
      'callback_url',
    );
    expectError(
      await t.http
        .post('/api/media/audio')
        .send({ media_url: 'https://cdn.example.com/a.mp3', callback_url: 'http://10.1.2.3/resume' }),
      400,
      /callback_url .*non-public/,
    );
    // An Idempotency-Key repeat with another callback_url is another request.
    const key = `cb-${randomBytes(4).toString('hex')}`;
    const body = { media_url: 'https://cdn.example.com/a.mp3', callback_url: `${receiver.url}/resume/2` };
    expect((await t.http.post('/api/media/audio').set('Idempotency-Key', key).send(body)).status).toBe(201);
    expect((await t.http.post('/api/media/audio').set('Idempotency-Key', key).send(body)).status).toBe(200);
    const other = { ...body, callback_url: `${receiver.url}/resume/3` };
    expectError(await t.http.post('/api/media/audio').set('Idempotency-Key', key).send(other), 409);
  });
});

describe('webhooks: SSRF guard without an allow list', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startApi({ env: { ...WEBHOOK_ENV, WEBHOOK_ALLOWED_HOSTS: '' } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it.each([
    'http://127.0.0.1:9/x',
    'http://[::1]:9/x',
    'http://[::ffff:127.0.0.1]:9/x',
    'http://10.0.0.7/x',
    'http://10.255.255.254:8443/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:9/x', // a name that resolves to loopback
    'http://192.168.0.10/x',
    'http://[fd00::1]/x',
  ])('refuses %s at registration (400 naming url)', async (url) => {
    expectError(await t.http.post('/api/webhooks').send({ url }), 400, /^url /);
  });

  it('checks again at delivery: a subscription registered while allowed is refused when the address is not', async () => {
    // Registered through an instance that allows 127.0.0.1, then that instance goes away.
    const other = await startApi({ databaseUrl: t.databaseUrl, env: WEBHOOK_ENV });
    const created = await other.http.post('/api/webhooks').send({ url: `${receiver.url}/rebound` });
    expect(created.status).toBe(201);
    await other.close();
    const job = await createJob(t);
    const deadline = Date.now() + 10_000;
    let delivery: Json | undefined;
    while (Date.now() < deadline) {
      const res = await t.http.get(`/api/webhooks/${created.body.id}/deliveries`);
      delivery = res.body.items.find((d: Json) => d.job_id === job.id && d.attempts > 0);
      if (delivery?.last_error) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(delivery).toMatchObject({ status: 'pending', response_status: null });
    expect(delivery?.last_error).toMatch(/non-public/);
    expect(receiver.received).toHaveLength(0);
  });
});
