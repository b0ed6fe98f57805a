import { ANALYSIS_RESULT_COLUMNS } from '../analysis-results/analysis-result.entity';
import type { Statement } from '../database/sql.service';
import { MEDIA_ASSET_COLUMNS } from '../media-assets/media-asset.entity';
import { TRANSCRIPTION_COLUMNS } from '../transcriptions/transcription.entity';

/** Every column of a job answer (idempotency_key stays internal). */
export const JOB_COLUMNS = [
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
].join(', ');

/**
 * completed_at − started_at in ms, computed by the database (NULL when never started). The
 * column is an integer: capped at its maximum (~24.8 days), else a job that ran longer could
 * never complete or fail, and one such row would stall the lease sweep of its whole batch.
 */
const ELAPSED_MS = `(CASE WHEN started_at IS NOT NULL -- LEAST ignores NULLs, so test it first
  THEN LEAST(round(extract(epoch FROM (now() - started_at)) * 1000), 2147483647)::integer END)`;

/** What a retry sets (failed → pending): shared by the single retry and the bulk retry. */
export const RETRY_SET = `status = 'pending', error = NULL, result = NULL, started_at = NULL, completed_at = NULL,
  processing_time_ms = NULL, attempts = 0, worker_id = NULL, lease_expires_at = NULL`;

// Each transition is one conditional UPDATE: the WHERE clause is the rule, so two racing
// callers cannot both pass it, and an illegal transition changes nothing.
export const JOB_SQL = {
  insert: {
    name: 'jobs.insert',
    text: `INSERT INTO jobs (job_type, media_url, prompt, parameters, priority, max_attempts)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6)
           RETURNING ${JOB_COLUMNS}`,
  },
  // Only with an Idempotency-Key: the speculative insertion of ON CONFLICT costs PostgreSQL
  // CPU on every insert, and a NULL key can never conflict.
  insertWithIdempotencyKey: {
    name: 'jobs.insertWithIdempotencyKey',
    text: `INSERT INTO jobs (job_type, media_url, prompt, parameters, priority, max_attempts, idempotency_key)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
           ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
           RETURNING ${JOB_COLUMNS}`,
  },
  findByIdempotencyKey: {
    name: 'jobs.findByIdempotencyKey',
    text: `SELECT ${JOB_COLUMNS},
             (job_type = $2 AND media_url = $3 AND prompt IS NOT DISTINCT FROM $4
              AND parameters = $5::jsonb AND priority = $6 AND max_attempts = $7) AS same_request
           FROM jobs WHERE idempotency_key = $1`,
  },
  findById: { name: 'jobs.findById', text: `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1` },
  findState: { name: 'jobs.findState', text: `SELECT status, worker_id, lease_expires_at FROM jobs WHERE id = $1` },
  findDetail: {
    name: 'jobs.findDetail',
    text: `SELECT ${JOB_COLUMNS},
             COALESCE((SELECT json_agg(a ORDER BY a.created_at, a.id)
               FROM (SELECT ${MEDIA_ASSET_COLUMNS} FROM media_assets WHERE job_id = jobs.id) a), '[]') AS assets,
             COALESCE((SELECT json_agg(t ORDER BY t.created_at, t.id)
               FROM (SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions WHERE job_id = jobs.id) t), '[]') AS transcriptions,
             COALESCE((SELECT json_agg(r ORDER BY r.created_at, r.id)
               FROM (SELECT ${ANALYSIS_RESULT_COLUMNS} FROM analysis_results WHERE job_id = jobs.id) r), '[]') AS analysis_results
           FROM jobs WHERE id = $1 AND ($2::varchar IS NULL OR job_type = $2)`,
  },
  findByStatus: {
    name: 'jobs.findByStatus',
    text: `SELECT ${JOB_COLUMNS} FROM jobs WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
  },
  delete: { name: 'jobs.delete', text: `DELETE FROM jobs WHERE id = $1 RETURNING id` },
  start: {
    name: 'jobs.start',
    text: `UPDATE jobs SET status = 'processing', started_at = now(), worker_id = NULL, lease_expires_at = NULL
           WHERE id = $1 AND status = 'pending' RETURNING ${JOB_COLUMNS}`,
  },
  complete: {
    name: 'jobs.complete',
    text: `UPDATE jobs SET status = 'completed', result = $2::jsonb, completed_at = now(),
             processing_time_ms = ${ELAPSED_MS}, lease_expires_at = NULL
           WHERE id = $1 AND status = 'processing' AND ($3::varchar IS NULL OR worker_id = $3)
           RETURNING ${JOB_COLUMNS}`,
  },
  fail: {
    name: 'jobs.fail',
    text: `UPDATE jobs SET status = 'failed', error = $2, completed_at = now(),
             processing_time_ms = ${ELAPSED_MS}, lease_expires_at = NULL
           WHERE id = $1 AND status IN ('pending', 'processing')
             AND ($3::varchar IS NULL OR (status = 'processing' AND worker_id = $3))
           RETURNING ${JOB_COLUMNS}`,
  },
  retry: {
    name: 'jobs.retry',
    text: `UPDATE jobs SET ${RETRY_SET} WHERE id = $1 AND status = 'failed' RETURNING ${JOB_COLUMNS}`,
  },
  heartbeat: {
    name: 'jobs.heartbeat',
    text: `UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $2)
           WHERE id = $1 AND status = 'processing' AND lease_expires_at IS NOT NULL
             AND ($3::varchar IS NULL OR worker_id = $3)
           RETURNING ${JOB_COLUMNS}`,
  },
  // The oldest pending job of the highest priority, locked and taken in one statement; a row
  // another caller holds is skipped, never handed out twice (served by idx_jobs_claim).
  claim: {
    name: 'jobs.claim',
    text: `UPDATE jobs SET status = 'processing', started_at = now(), attempts = attempts + 1, worker_id = $2,
             lease_expires_at = now() + make_interval(secs => $3)
           WHERE id = (
             SELECT id FROM jobs
             WHERE status = 'pending' AND ($1::varchar[] IS NULL OR job_type = ANY($1))
             ORDER BY priority DESC, created_at, id
             LIMIT 1
             FOR UPDATE SKIP LOCKED)
           RETURNING ${JOB_COLUMNS}`,
  },
  // Expired leases go back to pending, or fail once max_attempts is spent. SKIP LOCKED lets
  // several instances sweep at once without touching the same row.
  recoverExpiredLeases: {
    name: 'jobs.recoverExpiredLeases',
    text: `WITH expired AS (
             SELECT id FROM jobs
             WHERE status = 'processing' AND lease_expires_at IS NOT NULL AND lease_expires_at < now()
             ORDER BY lease_expires_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
           UPDATE jobs SET
             status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
             error = CASE WHEN attempts >= max_attempts
               THEN format('lease expired on attempt %s of %s (worker %s)', attempts, max_attempts, coalesce(worker_id, 'unknown'))
               ELSE error END,
             completed_at = CASE WHEN attempts >= max_attempts THEN now() END,
             processing_time_ms = CASE WHEN attempts >= max_attempts THEN ${ELAPSED_MS} END,
             started_at = CASE WHEN attempts >= max_attempts THEN started_at END,
             worker_id = CASE WHEN attempts >= max_attempts THEN worker_id END,
             lease_expires_at = NULL
           FROM expired WHERE jobs.id = expired.id
           RETURNING jobs.id, jobs.status`,
  },
} satisfies Record<string, Statement>;
