import { AnalysisResult } from '../analysis-results/analysis-result.entity';
import { columnList, tableName, type EntityClass } from '../database/entity-columns';
import type { Statement } from '../database/sql.service';
import { MediaAsset } from '../media-assets/media-asset.entity';
import { Transcription } from '../transcriptions/transcription.entity';
import { Job } from './job.entity';
import { JOB_LIFECYCLE, lifecycleCondition } from './job-lifecycle';

/**
 * Every column of a job answer, from the entity (idempotency_key and callback_url are
 * `select: false`: internal), and has_callback in place of the secret callback URL.
 */
export const JOB_COLUMNS = `${columnList(Job)}, (callback_url IS NOT NULL) AS has_callback`;

/** A job's children, oldest first, as a JSON array of their answers (named columns, never the whole row). */
function childrenJson(entity: EntityClass): string {
  return `COALESCE((SELECT json_agg(c ORDER BY c.created_at, c.id)
             FROM (SELECT ${columnList(entity)} FROM ${tableName(entity)} WHERE job_id = jobs.id) c), '[]')`;
}

/**
 * completed_at − started_at in ms, computed by the database (NULL when never started). The
 * column is an integer: capped at its maximum (~24.8 days), else a job that ran longer could
 * never complete or fail, and one such row would stall the lease sweep of its whole batch.
 */
const ELAPSED_MS = `(CASE WHEN started_at IS NOT NULL -- LEAST ignores NULLs, so test it first
  THEN LEAST(round(extract(epoch FROM (now() - started_at)) * 1000), 2147483647)::integer END)`;

/** A new claim, start or retry begins without the previous attempt's progress. */
const CLEAR_PROGRESS = 'progress = NULL, progress_message = NULL';

const [EXPIRED, EXPIRED_AND_SPENT] = JOB_LIFECYCLE.leaseExpiry.to;

/** What a retry sets (failed → pending): shared by the single retry and the bulk retry. */
export const RETRY_SET = `status = '${JOB_LIFECYCLE.retry.to[0]}', error = NULL, result = NULL, started_at = NULL, completed_at = NULL,
  processing_time_ms = NULL, attempts = 0, worker_id = NULL, lease_expires_at = NULL,
  ${CLEAR_PROGRESS}`;

// Each transition is one conditional UPDATE whose WHERE clause is its row of JOB_LIFECYCLE, so
// two racing callers cannot both pass it, and an illegal transition changes nothing.
export const JOB_SQL = {
  insert: {
    name: 'jobs.insert',
    text: `INSERT INTO jobs (job_type, media_url, prompt, parameters, priority, max_attempts, callback_url)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
           RETURNING ${JOB_COLUMNS}`,
  },
  // Only with an Idempotency-Key: the speculative insertion of ON CONFLICT costs PostgreSQL
  // CPU on every insert, and a NULL key can never conflict.
  insertWithIdempotencyKey: {
    name: 'jobs.insertWithIdempotencyKey',
    text: `INSERT INTO jobs (job_type, media_url, prompt, parameters, priority, max_attempts, callback_url, idempotency_key)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
           ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
           RETURNING ${JOB_COLUMNS}`,
  },
  findByIdempotencyKey: {
    name: 'jobs.findByIdempotencyKey',
    text: `SELECT ${JOB_COLUMNS},
             (job_type = $2 AND media_url = $3 AND prompt IS NOT DISTINCT FROM $4
              AND parameters = $5::jsonb AND priority = $6 AND max_attempts = $7
              AND callback_url IS NOT DISTINCT FROM $8) AS same_request
           FROM jobs WHERE idempotency_key = $1`,
  },
  findState: { name: 'jobs.findState', text: `SELECT status, worker_id, lease_expires_at FROM jobs WHERE id = $1` },
  findDetail: {
    name: 'jobs.findDetail',
    text: `SELECT ${JOB_COLUMNS},
             ${childrenJson(MediaAsset)} AS assets,
             ${childrenJson(Transcription)} AS transcriptions,
             ${childrenJson(AnalysisResult)} AS analysis_results
           FROM jobs WHERE id = $1 AND ($2::varchar IS NULL OR job_type = $2)`,
  },
  delete: { name: 'jobs.delete', text: `DELETE FROM jobs WHERE id = $1 RETURNING id` },
  start: {
    name: 'jobs.start',
    text: `UPDATE jobs SET status = '${JOB_LIFECYCLE.start.to[0]}', started_at = now(), worker_id = NULL, lease_expires_at = NULL,
             ${CLEAR_PROGRESS}
           WHERE id = $1 AND ${lifecycleCondition('start')} RETURNING ${JOB_COLUMNS}`,
  },
  complete: {
    name: 'jobs.complete',
    text: `UPDATE jobs SET status = '${JOB_LIFECYCLE.complete.to[0]}', result = $2::jsonb, completed_at = now(),
             processing_time_ms = ${ELAPSED_MS}, lease_expires_at = NULL
           WHERE id = $1 AND ${lifecycleCondition('complete', '$3')}
           RETURNING ${JOB_COLUMNS}`,
  },
  fail: {
    name: 'jobs.fail',
    text: `UPDATE jobs SET status = '${JOB_LIFECYCLE.fail.to[0]}', error = $2, completed_at = now(),
             processing_time_ms = ${ELAPSED_MS}, lease_expires_at = NULL
           WHERE id = $1 AND ${lifecycleCondition('fail', '$3')}
           RETURNING ${JOB_COLUMNS}`,
  },
  retry: {
    name: 'jobs.retry',
    text: `UPDATE jobs SET ${RETRY_SET} WHERE id = $1 AND ${lifecycleCondition('retry')} RETURNING ${JOB_COLUMNS}`,
  },
  // Progress left out (NULL) stays as it was; the events trigger writes job.progress only
  // when a value actually changes.
  heartbeat: {
    name: 'jobs.heartbeat',
    text: `UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $2),
             progress = COALESCE($4::double precision, progress),
             progress_message = COALESCE($5::varchar, progress_message)
           WHERE id = $1 AND ${lifecycleCondition('heartbeat', '$3')}
           RETURNING ${JOB_COLUMNS}`,
  },
  // The oldest pending job of the highest priority, locked and taken in one statement; a row
  // another caller holds is skipped, never handed out twice (served by idx_jobs_claim).
  claim: {
    name: 'jobs.claim',
    text: `UPDATE jobs SET status = '${JOB_LIFECYCLE.claim.to[0]}', started_at = now(), attempts = attempts + 1,
             worker_id = $2, lease_expires_at = now() + make_interval(secs => $3), ${CLEAR_PROGRESS}
           WHERE id = (
             SELECT id FROM jobs
             WHERE ${lifecycleCondition('claim')} AND ($1::varchar[] IS NULL OR job_type = ANY($1))
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
             WHERE ${lifecycleCondition('leaseExpiry')} AND lease_expires_at < now()
             ORDER BY lease_expires_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
           UPDATE jobs SET
             status = CASE WHEN attempts >= max_attempts THEN '${EXPIRED_AND_SPENT}' ELSE '${EXPIRED}' END,
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
