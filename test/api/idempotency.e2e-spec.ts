import type { TestApp } from '../utils/test-app';
import { expectError, expectNoChange, startApi } from '../utils/fixtures';

describe('Idempotency-Key on POST /api/media/{type}', () => {
  let t: TestApp;
  let n = 0;
  const key = () => `key-${Date.now()}-${++n}`;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(() => t.close());

  const body = { media_url: 'https://cdn.example.com/i.mp4', prompt: 'p', parameters: { a: 1, b: { c: [1, 2] } } };
  const post = (k: string | undefined, payload: object = body, branch = 'video') => {
    const req = t.http.post(`/api/media/${branch}`);
    if (k !== undefined) req.set('Idempotency-Key', k);
    return req.send(payload);
  };
  const countWithKey = async (k: string) =>
    (await t.db.query('SELECT count(*)::int AS n FROM jobs WHERE idempotency_key = $1', [k])).rows[0].n;

  it('creates once (201), then answers the same job with 200 and Location', async () => {
    const k = key();
    const first = await post(k);
    expect(first.status).toBe(201);
    const again = await post(k);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(`/api/jobs/${first.body.id}`);
    expect(await countWithKey(k)).toBe(1);
  });

  it('answers the job in its current state on a repeat', async () => {
    const k = key();
    const first = await post(k);
    expect((await t.http.post(`/api/jobs/${first.body.id}/start`)).status).toBe(200);
    const again = await post(k);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'processing' });
  });

  it('compares requests after defaults and as JSON values, not bytes', async () => {
    const k = key();
    const first = await post(k, { media_url: 'https://cdn.example.com/d.mp4' });
    expect(first.status).toBe(201);
    const explicit = await post(k, {
      media_url: 'https://cdn.example.com/d.mp4',
      prompt: null,
      parameters: {},
      priority: 0,
      max_attempts: 3,
    });
    expect(explicit.status).toBe(200);
    expect(explicit.body.id).toBe(first.body.id);

    const k2 = key();
    expect((await post(k2, { media_url: 'https://x.example/a', parameters: { a: 1, b: 2 } })).status).toBe(201);
    const reordered = await post(k2, { parameters: { b: 2, a: 1 }, media_url: 'https://x.example/a' });
    expect(reordered.status).toBe(200);
  });

  it.each([
    ['another media_url', { ...body, media_url: 'https://cdn.example.com/other.mp4' }],
    ['another prompt', { ...body, prompt: 'q' }],
    ['no prompt', { media_url: body.media_url, parameters: body.parameters }],
    ['other parameters', { ...body, parameters: { a: 2 } }],
    ['another priority', { ...body, priority: 5 }],
    ['another max_attempts', { ...body, max_attempts: 1 }],
  ])('answers 409 for the same key with %s, creating nothing', async (_name, other) => {
    const k = key();
    expect((await post(k)).status).toBe(201);
    await expectNoChange(t.db, async () => expectError(await post(k, other), 409, 'Idempotency-Key'));
  });

  it('answers 409 for the same key on another branch (keys are global)', async () => {
    const k = key();
    expect((await post(k, body, 'video')).status).toBe(201);
    await expectNoChange(t.db, async () => expectError(await post(k, body, 'audio'), 409));
  });

  it('makes exactly one job from 20 concurrent creates with one key', async () => {
    const k = key();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(k)));
    expect(answers.map((res) => res.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(await countWithKey(k)).toBe(1);
  });

  it('makes exactly one job from concurrent repeats spread over two instances', async () => {
    const other = await startApi({ databaseUrl: t.databaseUrl });
    try {
      const k = key();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? other.http : t.http).post('/api/media/audio').set('Idempotency-Key', k).send(body),
        ),
      );
      expect(answers.map((res) => res.status).sort()).toEqual([...Array(19).fill(200), 201]);
      expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
      expect(await countWithKey(k)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('makes one job per key, and one conflict, when concurrent repeats disagree', async () => {
    const k = key();
    const answers = await Promise.all([post(k), post(k, { ...body, prompt: 'different' })]);
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
    expect(await countWithKey(k)).toBe(1);
  });

  it('creates separate jobs without a key, and for different keys', async () => {
    const [a, b] = [await post(undefined), await post(undefined)];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    const [c, d] = [await post(key()), await post(key())];
    expect([c.status, d.status]).toEqual([201, 201]);
    expect(c.body.id).not.toBe(d.body.id);
  });

  it('accepts a key of 255 visible ASCII characters', async () => {
    const k = `${'k'.repeat(250)}~!{}$`;
    expect((await post(k)).status).toBe(201);
    expect((await post(k)).status).toBe(200);
  });

  it.each([
    ['300 characters', 'k'.repeat(300)],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé-é'],
    ['a space', 'two words'],
    ['empty', ''],
  ])('answers 400 for a key of %s, creating nothing', async (_name, k) => {
    await expectNoChange(t.db, async () => expectError(await post(k), 400, 'Idempotency-Key'));
  });

  it('validates the body before the key is used', async () => {
    const k = key();
    await expectNoChange(t.db, async () => expectError(await post(k, { media_url: 'ftp://x/y' }), 400, 'media_url'));
    expect((await post(k)).status).toBe(201);
  });

  it('creates anew when the job of a key was deleted', async () => {
    const k = key();
    const first = await post(k);
    expect((await t.http.delete(`/api/jobs/${first.body.id}`)).status).toBe(204);
    const again = await post(k);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });
});
