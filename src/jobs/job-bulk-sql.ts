import { createdRangeConditions } from '../common/keyset';
import { CURSOR_AT_SQL, type Cursor } from '../common/pagination';
import type { Statement } from '../database/sql.service';
import { RETRY_SET } from './job-sql';
import type { JobStatus, JobType } from './job.entity';

/** At most this many rows per statement: each chunk is its own short transaction. */
export const BULK_CHUNK_SIZE = 1000;

export interface BulkFilter {
  status: JobStatus;
  job_type?: JobType;
  created_after?: string;
  created_before?: string;
  error_contains?: string;
}

export type BulkAction = 'retry' | 'delete';

/** What each action does to the rows it locked (`locked` holds their ids). */
const CHANGE: Record<BulkAction, string> = {
  retry: `UPDATE jobs SET ${RETRY_SET} FROM locked WHERE jobs.id = locked.id RETURNING jobs.id`,
  delete: `DELETE FROM jobs USING locked WHERE jobs.id = locked.id RETURNING jobs.id`,
};

function filterConditions(filter: BulkFilter) {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = [`status = ${bind(filter.status)}`];
  const shape: string[] = [];
  if (filter.job_type !== undefined) {
    conditions.push(`job_type = ${bind(filter.job_type)}`);
    shape.push('type');
  }
  conditions.push(...createdRangeConditions('created_at', bind, filter.created_after, filter.created_before));
  if (filter.created_after !== undefined) shape.push('after');
  if (filter.created_before !== undefined) shape.push('before');
  if (filter.error_contains !== undefined) {
    conditions.push(`strpos(lower(error), lower(${bind(filter.error_contains)})) > 0`);
    shape.push('error');
  }
  return { conditions, shape, values, bind };
}

/** How many jobs match (a dry run). */
export function bulkCountStatement(filter: BulkFilter): { statement: Statement; values: unknown[] } {
  const { conditions, shape, values } = filterConditions(filter);
  return {
    statement: {
      name: `jobs.bulkCount:${shape.join(',')}`,
      text: `SELECT count(*)::int AS matched FROM jobs WHERE ${conditions.join(' AND ')}`,
    },
    values,
  };
}

/**
 * One chunk: the next BULK_CHUNK_SIZE matching jobs after `cursor` in (created_at, id) order,
 * locked with SKIP LOCKED (a job a worker or another caller holds is passed over, never waited
 * for or changed twice), then retried or deleted, in one statement. The row triggers write each
 * job's event in the same statement. Returns how many matched, how many changed, and where the
 * next chunk starts; walking the keyset means every job is visited once and the loop ends even
 * while new matching jobs keep arriving.
 */
export function bulkChunkStatement(
  action: BulkAction,
  filter: BulkFilter,
  cursor: Cursor | undefined,
): { statement: Statement; values: unknown[] } {
  const { conditions, shape, values, bind } = filterConditions(filter);
  const status = '$1'; // filterConditions binds the status first
  if (cursor) {
    conditions.push(`(created_at, id) > (${bind(cursor.createdAt)}::timestamptz, ${bind(cursor.id)}::uuid)`);
    shape.push('cursor');
  }
  return {
    statement: {
      name: `jobs.bulk-${action}:${shape.join(',')}`,
      text: `WITH candidates AS (
               SELECT id, created_at, ${CURSOR_AT_SQL} FROM jobs
               WHERE ${conditions.join(' AND ')}
               ORDER BY created_at, id
               LIMIT ${BULK_CHUNK_SIZE}),
             locked AS (
               SELECT jobs.id FROM jobs JOIN candidates USING (id)
               WHERE jobs.status = ${status}
               FOR UPDATE OF jobs SKIP LOCKED),
             changed AS (${CHANGE[action]})
             SELECT (SELECT count(*) FROM candidates)::int AS matched,
                    (SELECT count(*) FROM changed)::int AS changed,
                    last.cursor_at AS last_cursor_at, last.id AS last_id
             FROM (SELECT 1) AS one
             LEFT JOIN (SELECT id, cursor_at FROM candidates ORDER BY created_at DESC, id DESC LIMIT 1) AS last ON true`,
    },
    values,
  };
}
