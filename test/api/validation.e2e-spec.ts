import type { Test } from 'supertest';
import type { TestApp } from '../utils/test-app';
import { createJob, expectError, expectNoChange, startApi, type Json } from '../utils/fixtures';

/**
 * Request validation of the job endpoints: every rejection is a 400 in the NestJS shape that
 * names the field, and changes no row. (Children: children-validation.e2e-spec.ts.)
 */
describe('validation: jobs', () => {
  let t: TestApp;
  let pendingJob: Json;
  beforeAll(async () => {
    t = await startApi();
    pendingJob = await createJob(t);
  });
  afterAll(() => t.close());

  const URL_OK = 'https://cdn.example.com/a.mp4';

  async function rejectCreate(body: unknown, field: string | RegExp, raw = false): Promise<void> {
    await expectNoChange(t.db, async () => {
      const req = t.http.post('/api/media/video').set('Content-Type', 'application/json');
      const res = await req.send(raw ? (body as string) : JSON.stringify(body));
      expectError(res, 400, field);
      expect(res.body.error).toBe('Bad Request');
    });
  }

  describe('POST /api/media/{type} body', () => {
    it('rejects an unknown field, naming it', async () => {
      await rejectCreate({ media_url: URL_OK, colour: 'red' }, 'colour');
      await rejectCreate({ media_url: URL_OK, status: 'completed' }, 'status');
      await rejectCreate({ media_url: URL_OK, id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }, 'id');
    });

    it.each([
      [{}, 'media_url'],
      [{ media_url: null }, 'media_url'],
      [{ media_url: 5 }, 'media_url'],
      [{ media_url: ['https://a.example/x'] }, 'media_url'],
      [{ media_url: URL_OK, prompt: 5 }, 'prompt'],
      [{ media_url: URL_OK, prompt: { text: 'x' } }, 'prompt'],
      [{ media_url: URL_OK, parameters: 'fps=1' }, 'parameters'],
      [{ media_url: URL_OK, parameters: [1, 2] }, 'parameters'],
      [{ media_url: URL_OK, parameters: 3 }, 'parameters'],
      [{ media_url: URL_OK, priority: '5' }, 'priority'],
      [{ media_url: URL_OK, priority: 1.5 }, 'priority'],
      [{ media_url: URL_OK, priority: 101 }, 'priority'],
      [{ media_url: URL_OK, priority: -101 }, 'priority'],
      [{ media_url: URL_OK, max_attempts: 0 }, 'max_attempts'],
      [{ media_url: URL_OK, max_attempts: 21 }, 'max_attempts'],
      [{ media_url: URL_OK, max_attempts: true }, 'max_attempts'],
    ])('rejects a wrong type or range: %j', async (body, field) => {
      await rejectCreate(body, field);
    });

    it.each([
      ['{"media_url": "https://a.example/x"', /JSON|Unexpected|end/i],
      ['{media_url: "https://a.example/x"}', /JSON|Unexpected|token/i],
      ["{'media_url': 'x'}", /JSON|Unexpected|token/i],
      ['{"media_url": "https://a.example/x",}', /JSON|Unexpected|token/i],
    ])('rejects malformed JSON %s', async (raw, message) => {
      await rejectCreate(raw, message, true);
    });

    it.each([['[]'], ['"https://a.example/x"'], ['42'], ['true'], ['null']])(
      'rejects a body that is not an object: %s',
      async (raw) => {
        await rejectCreate(raw, /media_url|object/, true);
      },
    );

    it.each([
      [{ media_url: 'https://a.example/\u0000' }, 'media_url'],
      [{ media_url: URL_OK, prompt: 'a\u0000b' }, 'prompt'],
      [{ media_url: URL_OK, parameters: { deep: { list: ['ok', 'x\u0000'] } } }, 'parameters.deep.list.1'],
      [{ media_url: URL_OK, parameters: { 'key\u0000': 1 } }, 'parameters'],
    ])('rejects NUL characters anywhere: %j', async (body, field) => {
      await rejectCreate(body, field);
    });

    it.each([
      ['{"media_url": "https://a.example/x", "prompt": "broken \\ud800 half"}', 'prompt'],
      ['{"media_url": "https://a.example/x", "prompt": "\\udc00"}', 'prompt'],
      ['{"media_url": "https://a.example/x", "parameters": {"a": ["\\udfff"]}}', 'parameters.a.0'],
    ])('rejects unpaired UTF-16 surrogates, which PostgreSQL cannot store verbatim: %s', async (raw, field) => {
      await rejectCreate(raw, field, true);
    });

    it('stores a surrogate pair escaped in JSON as the character it is', async () => {
      const res = await t.http
        .post('/api/media/video')
        .set('Content-Type', 'application/json')
        .send('{"media_url": "https://a.example/x", "prompt": "\\ud83c\\udfac"}');
      expect(res.status).toBe(201);
      expect(res.body.prompt).toBe('🎬');
    });

    it.each([
      ['{"media_url": "https://a.example/x", "__proto__": {"polluted": true}}'],
      ['{"media_url": "https://a.example/x", "parameters": {"__proto__": {"polluted": true}}}'],
      ['{"media_url": "https://a.example/x", "parameters": {"constructor": {"prototype": {"polluted": true}}}}'],
    ])('rejects prototype poisoning %s', async (raw) => {
      await rejectCreate(raw, /JSON/, true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['ftp://files.example.com/a.mp4'],
      ['file:///etc/passwd'],
      ['javascript:alert(1)'],
      ['data:text/plain;base64,SGVsbG8='],
      ['/relative/path.mp4'],
      ['cdn.example.com/a.mp4'],
      ['https://'],
      ['https:///no-host'],
      ['https://exa mple.com/a.mp4'],
      [''],
    ])('rejects media_url %p', async (mediaUrl) => {
      await rejectCreate({ media_url: mediaUrl }, 'media_url');
    });

    it.each([
      ['http://cdn.example.com/a.mp4'],
      ['https://cdn.example.com/a%20b.mp4?sig=1&x=2#t=3'],
      ['s3://bucket/path/to/key.wav'],
      ['https://10.0.0.1:8443/a'],
      ['http://localhost:9000/m.pdf'],
    ])('accepts media_url %p', async (mediaUrl) => {
      const job = await createJob(t, 'video', { media_url: mediaUrl });
      expect(job.media_url).toBe(mediaUrl);
    });

    it('limits media_url to 2048 characters, counted as code points', async () => {
      const base = 'https://cdn.example.com/';
      const ascii = base + 'a'.repeat(2048 - base.length);
      expect((await createJob(t, 'video', { media_url: ascii })).media_url).toBe(ascii);
      await rejectCreate({ media_url: ascii + 'a' }, 'media_url');
      // 2048 code points of which most are astral (two UTF-16 units each): still within the limit.
      const emoji = base + '🎬'.repeat(2048 - base.length);
      expect([...emoji]).toHaveLength(2048);
      expect((await createJob(t, 'video', { media_url: emoji })).media_url).toBe(emoji);
      await rejectCreate({ media_url: emoji + '🎬' }, 'media_url');
    });

    it('limits prompt to 20,000 characters, counted as code points', async () => {
      expect((await createJob(t, 'audio', { prompt: 'p'.repeat(20_000) })).prompt).toHaveLength(20_000);
      const emoji = '😀'.repeat(20_000);
      expect((await createJob(t, 'audio', { prompt: emoji })).prompt).toBe(emoji);
      await rejectCreate({ media_url: URL_OK, prompt: 'p'.repeat(20_001) }, 'prompt');
      await rejectCreate({ media_url: URL_OK, prompt: emoji + 'x' }, 'prompt');
    });

    it('answers 413 for a body over 1 MiB, and stores nothing', async () => {
      await expectNoChange(t.db, async () => {
        const res = await t.http
          .post('/api/media/document')
          .send({ media_url: URL_OK, prompt: 'x', parameters: { blob: 'b'.repeat(1024 * 1024) } });
        expectError(res, 413);
      });
    });
  });

  describe('strings are stored verbatim', () => {
    const nasty = `He said "hi" & left; '; DROP TABLE jobs; -- \\ \n\t 🎬 ü 中文 \u202e $1 %s`;

    it('in prompt and parameters, as answered and as stored', async () => {
      const parameters = { [nasty]: nasty, list: [nasty, { q: "'" }], n: 1.5, t: true, z: null };
      const job = await createJob(t, 'document', { prompt: nasty, parameters });
      expect(job.prompt).toBe(nasty);
      expect(job.parameters).toEqual(parameters);
      const { rows } = await t.db.query('SELECT prompt, parameters FROM jobs WHERE id = $1', [job.id]);
      expect(rows[0]).toEqual({ prompt: nasty, parameters });
      expect((await t.http.get(`/api/jobs/${job.id}`)).body.prompt).toBe(nasty);
      const { rows: tables } = await t.db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'jobs'`);
      expect(tables[0].n).toBe(1);
    });

    it('in fail error and complete result', async () => {
      const failed = await createJob(t);
      const res = await t.http.post(`/api/jobs/${failed.id}/fail`).send({ error: nasty });
      expect(res.status).toBe(200);
      expect(res.body.error).toBe(nasty);
      const done = await createJob(t);
      expect((await t.http.post(`/api/jobs/${done.id}/start`)).status).toBe(200);
      const completed = await t.http.post(`/api/jobs/${done.id}/complete`).send({ result: { text: nasty } });
      expect(completed.status).toBe(200);
      expect(completed.body.result).toEqual({ text: nasty });
      expect((await t.db.query('SELECT result FROM jobs WHERE id = $1', [done.id])).rows[0].result).toEqual({
        text: nasty,
      });
    });
  });

  describe('action bodies', () => {
    it.each([
      ['claim', { job_types: [] }, 'job_types'],
      ['claim', { job_types: 'video' }, 'job_types'],
      ['claim', { job_types: ['image'] }, 'job_types'],
      ['claim', { job_types: [null] }, 'job_types'],
      ['claim', { lease_seconds: 9 }, 'lease_seconds'],
      ['claim', { lease_seconds: 86_401 }, 'lease_seconds'],
      ['claim', { lease_seconds: '60' }, 'lease_seconds'],
      ['claim', { worker_id: '' }, 'worker_id'],
      ['claim', { worker_id: 'w'.repeat(256) }, 'worker_id'],
      ['claim', { worker_id: 7 }, 'worker_id'],
      ['claim', { worker_id: 'w\u0000' }, 'worker_id'],
      ['claim', { priority: 1 }, 'priority'],
    ])('POST /api/jobs/%s rejects %j', async (_action, body, field) => {
      await expectNoChange(t.db, async () => expectError(await t.http.post('/api/jobs/claim').send(body), 400, field));
    });

    it.each([
      ['fail', {}, 'error'],
      ['fail', { error: 5 }, 'error'],
      ['fail', { error: '' }, 'error'],
      ['fail', { error: 'x', worker_id: '' }, 'worker_id'],
      ['fail', { error: 'x', reason: 'y' }, 'reason'],
      ['complete', { result: [1, 2] }, 'result'],
      ['complete', { result: 'done' }, 'result'],
      ['complete', { result: {}, status: 'completed' }, 'status'],
      ['complete', { result: { a: 'x\u0000' } }, 'result.a'],
      ['heartbeat', { lease_seconds: 9 }, 'lease_seconds'],
      ['heartbeat', { lease_seconds: 1.5 }, 'lease_seconds'],
      ['heartbeat', { worker_id: 'w'.repeat(256) }, 'worker_id'],
      ['start', { worker_id: 'w' }, 'worker_id'],
      ['retry', { force: true }, 'force'],
    ])('POST /api/jobs/{id}/%s rejects %j', async (action, body, field) => {
      await expectNoChange(t.db, async () =>
        expectError(await t.http.post(`/api/jobs/${pendingJob.id}/${action}`).send(body), 400, field),
      );
    });

    it('rejects an array body where an object is expected', async () => {
      await expectNoChange(t.db, async () => {
        const res = await t.http.post('/api/jobs/claim').set('Content-Type', 'application/json').send('[]');
        expectError(res, 400);
      });
    });
  });

  describe('path ids', () => {
    it('accepts a UUID in upper case', async () => {
      const res = await t.http.get(`/api/jobs/${pendingJob.id.toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(pendingJob.id);
    });

    const routes: [string, string][] = [
      ['get', '/api/jobs/%s'],
      ['delete', '/api/jobs/%s'],
      ['post', '/api/jobs/%s/start'],
      ['post', '/api/jobs/%s/complete'],
      ['post', '/api/jobs/%s/fail'],
      ['post', '/api/jobs/%s/retry'],
      ['post', '/api/jobs/%s/heartbeat'],
      ['get', '/api/media/video/%s'],
      ['get', '/api/jobs/%s/assets'],
      ['post', '/api/jobs/%s/assets'],
      ['get', '/api/jobs/%s/transcriptions'],
      ['post', '/api/jobs/%s/transcriptions'],
      ['get', '/api/jobs/%s/analysis-results'],
      ['post', '/api/jobs/%s/analysis-results'],
      ['get', '/api/assets/%s'],
      ['delete', '/api/assets/%s'],
      ['get', '/api/transcriptions/%s'],
      ['delete', '/api/transcriptions/%s'],
      ['get', '/api/analysis-results/%s'],
      ['delete', '/api/analysis-results/%s'],
    ];

    it.each(routes)('%s %s answers 400 for ids that are not UUIDs', async (method, route) => {
      for (const id of [
        '123',
        'not-a-uuid',
        '3fa85f64-5717-4562-b3fc-2c963f66afa',
        '3fa85f64571745 62b3fc2c963f66afa6',
        "1'%20OR%20'1'='1",
        '%00',
      ]) {
        await expectNoChange(t.db, async () => {
          const res = await (t.http as unknown as Record<string, (url: string) => Test>)
            [method](route.replace('%s', id))
            .send({});
          expectError(res, 400);
        });
      }
    });
  });
});
