import { startTestApp, type TestApp } from '../utils/test-app';

describe('content types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['application/x-www-form-urlencoded', 'media_url=https%3A%2F%2Fcdn.example.com%2Fa.mp4'],
    ['text/plain', '{"media_url":"https://cdn.example.com/a.mp4"}'],
  ])('answers 415 to a %s body and creates nothing', async (type, body) => {
    const res = await t.http.post('/api/media/video').set('Content-Type', type).send(body);
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type: bodies are JSON only (Content-Type: application/json)',
    });
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM jobs');
    expect(rows[0].n).toBe(0);
  });

  it('still accepts JSON with a charset', async () => {
    const res = await t.http
      .post('/api/media/video')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ media_url: 'https://cdn.example.com/a.mp4', prompt: 'Zoë 🎬' }))
      .expect(201);
    expect(res.body).toMatchObject({ job_type: 'video', media_url: 'https://cdn.example.com/a.mp4', prompt: 'Zoë 🎬' });
    const { rows } = await t.db.query('SELECT prompt FROM jobs WHERE id = $1', [res.body.id]);
    expect(rows).toEqual([{ prompt: 'Zoë 🎬' }]);
  });
});
