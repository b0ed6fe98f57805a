import type { Pool } from 'pg';
import request from 'supertest';
import { startTestApp, type TestApp } from './test-app';

/** The three media branches, as path segments and job types. */
export const BRANCHES = ['video', 'audio', 'document'] as const;
export type Branch = (typeof BRANCHES)[number];

/** Every field of a JobResponse (API.md), in no particular order. */
export const JOB_FIELDS = [
  'id',
  'job_type',
  'status',
  'media_url',
  'prompt',
  'parameters',
  'result',
  'error',
  'created_at',
  'updated_at',
  'started_at',
  'completed_at',
  'processing_time_ms',
  'priority',
  'attempts',
  'max_attempts',
  'worker_id',
  'lease_expires_at',
  'progress',
  'progress_message',
  'has_callback',
];

/** A well-formed UUID no row has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** An ISO 8601 UTC timestamp with milliseconds, as every answer renders one. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * startTestApp, then listening on a loopback port: supertest against a server that is not
 * listening binds and closes a port per request, which breaks under concurrent requests.
 */
export async function startApi(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const t = await startTestApp({ ...options, env: { DB_POOL_MAX: '10', ...options.env } });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as { port: number };
  return { ...t, http: request(`http://127.0.0.1:${port}`) };
}

// Answers are read field by field in assertions; `any` keeps that terse and jest checks the values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** Creates a job on a branch through the API (201 asserted) and returns the answer. */
export async function createJob(t: TestApp, branch: Branch = 'video', body: Json = {}): Promise<Json> {
  const res = await t.http
    .post(`/api/media/${branch}`)
    .send({ media_url: 'https://cdn.example.com/media/file.bin', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

export async function addAsset(t: TestApp, jobId: string, body: Json = {}): Promise<Json> {
  const res = await t.http
    .post(`/api/jobs/${jobId}/assets`)
    .send({ asset_type: 'frame', file_path: 's3://bucket/f.jpg', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

export async function addTranscription(t: TestApp, jobId: string, body: Json = {}): Promise<Json> {
  const res = await t.http
    .post(`/api/jobs/${jobId}/transcriptions`)
    .send({ provider: 'deepgram', text_content: 'hello', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

export async function addAnalysisResult(t: TestApp, jobId: string, body: Json = {}): Promise<Json> {
  const res = await t.http.post(`/api/jobs/${jobId}/analysis-results`).send({ analysis_type: 'video', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

/** Asserts the NestJS error shape and status; `mentions` must appear in the message. */
export function expectError(res: request.Response, status: number, mentions?: string | RegExp): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.anything() });
  expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.error).toBe('string');
  const messages: unknown[] = Array.isArray(res.body.message) ? res.body.message : [res.body.message];
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) expect(typeof message).toBe('string');
  if (mentions !== undefined) {
    const text = messages.join('\n');
    if (typeof mentions === 'string') expect(text).toContain(mentions);
    else expect(text).toMatch(mentions);
  }
}

const TABLES = ['jobs', 'media_assets', 'transcriptions', 'analysis_results'] as const;

/** Row count and a hash of every row of every table: equal snapshots mean nothing changed. */
export async function snapshot(db: Pool): Promise<Record<string, string>> {
  const columns = TABLES.map(
    (table) =>
      `(SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM ${table} x) AS ${table}`,
  );
  const { rows } = await db.query(`SELECT ${columns.join(', ')}`);
  return rows[0];
}

/** Runs `action` and asserts it changed no row of any table. */
export async function expectNoChange<T>(db: Pool, action: () => Promise<T>): Promise<T> {
  const before = await snapshot(db);
  const result = await action();
  expect(await snapshot(db)).toEqual(before);
  return result;
}

/** A job's row exactly as stored (timestamps with microseconds), or undefined. */
export async function jobRow(db: Pool, id: string): Promise<Json | undefined> {
  const { rows } = await db.query(`SELECT to_jsonb(j) AS row FROM jobs j WHERE id = $1`, [id]);
  return rows[0]?.row;
}

/** Inserts jobs straight into the table (for exact timestamps, priorities and states); returns their ids in order. */
export async function insertJobs(db: Pool, jobs: Partial<Record<string, unknown>>[]): Promise<string[]> {
  const ids: string[] = [];
  for (const job of jobs) {
    const row = { job_type: 'video', media_url: 'https://cdn.example.com/seeded.bin', ...job };
    const names = Object.keys(row);
    const { rows } = await db.query(
      `INSERT INTO jobs (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(row),
    );
    ids.push(rows[0].id);
  }
  return ids;
}

/** Follows next_cursor from `path` to the end; returns every page's items. */
export async function collectPages(t: TestApp, path: string, limit: number): Promise<Json[][]> {
  const pages: Json[][] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = { limit };
    if (cursor) query.cursor = cursor;
    const res = await t.http.get(path).query(query);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.next_cursor;
    if (pages.length > 1000) throw new Error('pagination does not end');
  } while (cursor);
  return pages;
}

/**
 * Calls `read` until `done` holds (or the time is up) and returns its last value. Event readers
 * hand out only what is below the cluster's xmin horizon, which a transaction of another test
 * (any database on the server) may hold back for a while: delayed, never lost.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}
