import { startTestApp, type TestApp } from './utils/test-app';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exposes request durations by route, pool gauges, jobs by status and type, claims and transitions', async () => {
    const created = await t.http
      .post('/api/media/video')
      .send({ media_url: 'https://cdn.example.com/v.mp4' })
      .expect(201);
    await t.http.post('/api/media/audio').send({ media_url: 'https://cdn.example.com/a.mp3' }).expect(201);
    await t.http
      .post('/api/jobs/claim')
      .send({ job_types: ['video'] })
      .expect(200);
    await t.http
      .post('/api/jobs/claim')
      .send({ job_types: ['document'] })
      .expect(204);
    await t.http
      .post(`/api/jobs/${created.body.id}/complete`)
      .send({ result: { ok: true } })
      .expect(200);

    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/media\/video",status="201"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/jobs\/:id\/complete",status="200"\} 1/,
    );
    expect(text).toMatch(/db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/db_pool_connections\{state="waiting"\} 0/);
    expect(text).toMatch(/jobs\{status="completed",job_type="video"\} 1/);
    expect(text).toMatch(/jobs\{status="pending",job_type="audio"\} 1/);
    expect(text).toMatch(/job_claims_total\{outcome="claimed"\} 1/);
    expect(text).toMatch(/job_claims_total\{outcome="empty"\} 1/);
    expect(text).toMatch(/job_transitions_total\{status="completed",cause="complete"\} 1/);
  });
});
