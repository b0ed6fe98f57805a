import { Histogram, type Metric, Registry } from 'prom-client';
import { REQUEST_DURATION_BUCKETS, RequestDurations } from './request-durations';

/** Observations on bucket bounds, between them, past the last, and over several series. */
const OBSERVATIONS: [method: string, route: string, status: number, seconds: number][] = [
  ['POST', '/api/media/video', 201, 0.001],
  ['POST', '/api/media/video', 201, 0.0011],
  ['POST', '/api/media/video', 201, 0.3],
  ['POST', '/api/media/video', 400, 0.0004],
  ['GET', '/api/jobs/:id', 200, 5],
  ['GET', '/api/jobs/:id', 200, 7.5],
  ['GET', '/api/jobs/:id', 404, 0.02],
  ['GET', 'unmatched', 404, 0.000001],
];

describe('RequestDurations', () => {
  it("exposes the same text as prom-client's own Histogram fed the same observations", async () => {
    const reference = new Registry();
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [reference],
    });
    const ours = new Registry();
    const durations = new RequestDurations();
    ours.registerMetric(durations as unknown as Metric);
    for (const [method, route, status, seconds] of OBSERVATIONS) {
      histogram.observe({ method, route, status: String(status) }, seconds);
      durations.observe(method, route, status, seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.001",method="POST",route="/api/media/video",status="201"} 1',
    );
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/api/jobs/:id",status="200"} 2');
  });

  it('starts over on reset', async () => {
    const durations = new RequestDurations();
    durations.observe('GET', '/health/live', 200, 0.01);
    durations.reset();
    expect((await durations.get()).values).toEqual([]);
  });
});
