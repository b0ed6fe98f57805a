import type { TestApp } from '../utils/test-app';
import { eventually, sleep, startApi, type Json } from '../utils/fixtures';
import { follow, parsed } from '../utils/sse-client';

const WRITERS = 12;
const ROUNDS = 12;

// Event delivery waits for the server-wide xmin horizon, which a long transaction of another
// test or benchmark on the same PostgreSQL may hold back: slow then, never wrong.
jest.setTimeout(180_000);

/**
 * The guarantee that matters most: a reader resuming after an event never misses one that
 * committed later, although ids are taken before commit. Many concurrent writers on two
 * instances (through the API, and in SQL transactions that take their event ids early and
 * commit late), one stream reader that reconnects to the other instance with Last-Event-ID;
 * then what it saw is compared with the listing: nothing missing, nothing twice, same order.
 */
describe('events: nothing missing, nothing twice, one order (two instances, concurrent writers)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startApi({ env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    b = await startApi({ databaseUrl: a.databaseUrl, env: { LEASE_SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** One writer: the lifecycle of its jobs through both instances, and late-committing SQL. */
  async function writer(n: number): Promise<void> {
    for (let round = 0; round < ROUNDS; round++) {
      const t = (n + round) % 2 === 0 ? a : b;
      const other = t === a ? b : a;
      if (round % 3 === 2) {
        // Takes its event ids now, commits after a while: later ids commit earlier meanwhile.
        const client = await a.db.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query(
            `INSERT INTO jobs (job_type, media_url) VALUES ('audio', $1) RETURNING id`,
            [`https://cdn.example.com/late/${n}-${round}.mp3`],
          );
          await sleep(Math.random() * 150);
          await client.query(`UPDATE jobs SET status = 'processing', started_at = now() WHERE id = $1`, [rows[0].id]);
          await client.query(Math.random() < 0.2 ? 'ROLLBACK' : 'COMMIT'); // a rolled-back change has no event
        } finally {
          client.release();
        }
        continue;
      }
      const created = await t.http
        .post('/api/media/video')
        .send({ media_url: `https://cdn.example.com/guarantee/${n}-${round}.mp4` })
        .expect(201);
      const id = created.body.id as string;
      await other.http.post(`/api/jobs/${id}/start`).expect(200);
      await t.http
        .post(`/api/jobs/${id}/assets`)
        .send({ asset_type: 'frame', file_path: `f${round}` })
        .expect(201);
      if (round % 2 === 0) await other.http.post(`/api/jobs/${id}/complete`).send({ result: { n } }).expect(200);
      else {
        await other.http.post(`/api/jobs/${id}/fail`).send({ error: 'x' }).expect(200);
        await t.http.post(`/api/jobs/${id}/retry`).expect(200);
        if (round % 4 === 1) await t.http.delete(`/api/jobs/${id}`).expect(204);
      }
    }
  }

  /** Every event in the listing, following next_cursor. */
  async function listAll(t: TestApp): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | undefined;
    do {
      const res = await t.http
        .get('/api/events')
        .query(cursor ? { limit: 1000, cursor } : { limit: 1000 })
        .expect(200);
      items.push(...res.body.items);
      cursor = res.body.next_cursor ?? undefined;
    } while (cursor);
    return items;
  }

  it('gives the reader exactly the listed events, in the listed order, across a reconnect to the other instance', async () => {
    const seen: Json[] = [];
    let stream = await follow(b);
    const writers = Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));

    // Reconnect twice while the writers run, each time to the other instance, as EventSource does.
    for (const next of [a, b]) {
      await stream.waitFor((s) => s.events.length >= 40, 60_000);
      stream.close();
      seen.push(...parsed(stream));
      stream = await follow(next, '', { 'Last-Event-ID': String(seen[seen.length - 1].id) });
    }
    await writers;

    const { rows } = await a.db.query(`SELECT count(*)::int AS n FROM job_events`);
    const total = rows[0].n as number;
    const listed = await eventually(
      () => listAll(a),
      (items) => items.length === total,
    );
    expect(listed).toHaveLength(total);
    const first = listed.findIndex((event) => event.id === seen[0].id);
    const expected = listed.slice(first);
    await stream.waitFor((s) => seen.length + s.events.length >= expected.length, 60_000).catch(() => undefined);
    await sleep(300);
    stream.close();
    seen.push(...parsed(stream));

    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length); // nothing twice
    expect(ids).toEqual(expected.map((event) => event.id)); // nothing missing, same order
    expect(seen).toEqual(expected); // and the same content
    // The writers' events all came after the reader started.
    const writerJobs = new Set(
      listed.filter((event) => event.type === 'job.created').map((event) => event.job_id as string),
    );
    expect(listed.slice(0, first).filter((event) => writerJobs.has(event.job_id))).toEqual([]);
    expect(ids.length).toBeGreaterThan(WRITERS * ROUNDS * 2);
    // Some event ids were indeed taken before others yet committed after them.
    const inversions = ids.filter((id, i) => i > 0 && id < ids[i - 1]).length;
    expect(inversions).toBeGreaterThan(0);
  });
});
