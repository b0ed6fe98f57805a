/**
 * Bench data: a throwaway database, seeded in one INSERT … SELECT generate_series per batch,
 * and the resets that keep every A and B run on the same data (claims never run dry, created
 * rows are removed again).
 */
import { Client } from 'pg';

export const BENCH_WORKER = 'bench';
/** media_url prefix of the jobs the create scenario makes (deleted after each create run). */
export const CREATED_URL_PREFIX = 'https://bench.invalid/new/';

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Jobs `from`..`to` (inclusive sequence numbers): a third of each type; 30 % pending, 10 %
 * processing (started without a lease, so the sweeper leaves them alone), 10 % failed, 50 %
 * completed; 2 % with priority 10; created 2 s apart. One job in 7 gets two assets, a
 * transcription and an analysis result: all in one statement.
 */
const SEED_SQL = `
WITH s AS (
  SELECT i, timestamptz '2025-06-01 00:00:00Z' + i * interval '2 s' AS t,
         CASE WHEN i % 10 < 3 THEN 'pending' WHEN i % 10 = 3 THEN 'processing'
              WHEN i % 10 = 4 THEN 'failed' ELSE 'completed' END AS st
  FROM generate_series($1::int, $2::int) AS i
), j AS (
  INSERT INTO jobs (job_type, status, media_url, prompt, parameters, result, error, created_at, updated_at,
                    started_at, completed_at, processing_time_ms, priority, attempts, max_attempts)
  SELECT (ARRAY['video', 'audio', 'document'])[1 + i % 3], st,
         'https://cdn.example.com/media/' || i || '.mp4',
         CASE WHEN i % 4 = 0 THEN NULL ELSE 'Summarise the key scenes of item ' || i END,
         jsonb_build_object('seed', i, 'fps', 1 + i % 5),
         CASE WHEN st = 'completed' THEN jsonb_build_object('summary', 'done ' || i, 'scenes', i % 9) END,
         CASE WHEN st = 'failed' THEN 'ffmpeg exited with code 1' END,
         t, t,
         CASE WHEN st <> 'pending' THEN t + interval '1 s' END,
         CASE WHEN st IN ('completed', 'failed') THEN t + interval '31 s' END,
         CASE WHEN st IN ('completed', 'failed') THEN 30000 END,
         CASE WHEN i % 50 = 0 THEN 10 ELSE 0 END,
         CASE WHEN st = 'pending' THEN 0 ELSE 1 END,
         3
  FROM s
  RETURNING id, job_type, prompt, created_at, (parameters->>'seed')::int AS seq
), parents AS (
  SELECT * FROM j WHERE seq % 7 = 0
), assets AS (
  INSERT INTO media_assets (job_id, asset_type, file_path, file_size_bytes, mime_type, metadata, created_at)
  SELECT id, (ARRAY['original', 'frame'])[k], '/data/' || id || '/' || k || '.bin', 1000000 * k + 17,
         CASE k WHEN 1 THEN 'video/mp4' ELSE 'image/jpeg' END, jsonb_build_object('index', k), created_at + k * interval '1 s'
  FROM parents CROSS JOIN generate_series(1, 2) AS k
), transcripts AS (
  INSERT INTO transcriptions (job_id, provider, text_content, language, confidence_score, word_timestamps, metadata, created_at)
  SELECT id, (ARRAY['deepgram', 'groq', 'openai', 'gemini'])[1 + seq % 4], repeat('hello world ', 20), 'en', 0.93,
         '[{"word": "hello", "start": 0.0, "end": 0.4, "confidence": 0.98}, {"word": "world", "start": 0.4, "end": 0.9}]',
         '{"model": "nova-2"}', created_at + interval '3 s'
  FROM parents
)
INSERT INTO analysis_results (job_id, analysis_type, summary, detailed_analysis, confidence_score, model_used, prompt_used,
                              input_tokens, output_tokens, created_at)
SELECT id, job_type, 'Three scenes: intro, demo, outro', '{"scenes": [{"t": 0, "label": "intro"}, {"t": 12.5, "label": "demo"}]}',
       0.87, 'gemini-2.5-pro', prompt, 1200, 350, created_at + interval '4 s'
FROM parents`;

export async function seedJobs(url: string, from: number, to: number, batch = 100_000): Promise<void> {
  await withClient(url, async (c) => {
    for (let start = from; start <= to; start += batch) {
      await c.query(SEED_SQL, [start, Math.min(to, start + batch - 1)]);
    }
    await c.query('VACUUM (ANALYZE) jobs, media_assets, transcriptions, analysis_results');
  });
}

/** Ids of jobs that have children, for the get scenario. */
export async function jobIdsWithChildren(url: string, count = 1000): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      'SELECT DISTINCT job_id AS id FROM analysis_results ORDER BY 1 LIMIT $1',
      [count],
    );
    return rows.map((r) => r.id);
  });
}

/**
 * Before a claim run: jobs the bench claimed go back to pending, and fresh pending jobs are
 * added if fewer than `needed` wait. VACUUM then clears the dead versions, so A and B start
 * from the same table and index state.
 */
export async function resetClaims(url: string, needed: number): Promise<number> {
  return withClient(url, async (c) => {
    await c.query(
      `UPDATE jobs SET status = 'pending', result = NULL, error = NULL, started_at = NULL, completed_at = NULL,
         processing_time_ms = NULL, attempts = 0, worker_id = NULL, lease_expires_at = NULL
       WHERE worker_id = $1`,
      [BENCH_WORKER],
    );
    const pending = Number((await c.query(`SELECT count(*) AS n FROM jobs WHERE status = 'pending'`)).rows[0].n);
    if (pending < needed) {
      await c.query(
        `INSERT INTO jobs (job_type, media_url, parameters, created_at, updated_at)
         SELECT (ARRAY['video', 'audio', 'document'])[1 + i % 3], 'https://cdn.example.com/topup/' || i || '.mp4',
                jsonb_build_object('topup', i), timestamptz '2025-05-01 00:00:00Z' + i * interval '10 ms',
                timestamptz '2025-05-01 00:00:00Z' + i * interval '10 ms'
         FROM generate_series(1, $1::int) AS i`,
        [needed - pending],
      );
    }
    await c.query('VACUUM (ANALYZE) jobs');
    return Math.max(pending, needed);
  });
}

/** After a create run: the jobs it made are deleted, so every run sees the seeded table. */
export async function removeCreated(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rowCount } = await c.query('DELETE FROM jobs WHERE media_url LIKE $1', [`${CREATED_URL_PREFIX}%`]);
    await c.query('VACUUM (ANALYZE) jobs');
    return rowCount ?? 0;
  });
}

export async function countJobs(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query('SELECT count(*) AS n FROM jobs')).rows[0].n));
}
