import type { Statement } from '../database/sql.service';

/** A place in the reading order of events: (tx_id, id). */
export interface EventPosition {
  txId: number;
  id: number;
}

/** (a) strictly after (b) in the reading order. */
export function isAfter(a: EventPosition, b: EventPosition): boolean {
  return a.txId > b.txId || (a.txId === b.txId && a.id > b.id);
}

export const EVENT_COLUMNS = 'id, tx_id, type, job_id, job_type, created_at, data';

/**
 * Every transaction below the snapshot's xmin has finished: the events it wrote are visible now
 * or never will be. Readers hand out only those, ordered by (tx_id, id), so a later commit always
 * sorts after what they handed out. (Ordering by id alone loses events: ids are taken before
 * commit.)
 */
export const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

export interface EventFilter {
  jobId?: string;
  jobType?: string;
  types?: string[];
}

export interface EventPageQuery extends EventFilter {
  after?: EventPosition;
  /** Inclusive upper bound (a stream's catch-up stops where the live fan-out starts). */
  upTo?: EventPosition;
  limit: number;
}

/** One prepared statement per filter shape; column names come from code, never from the request. */
export function eventPageStatement(query: EventPageQuery): { statement: Statement; values: unknown[] } {
  const conditions = [`tx_id < ${HORIZON}`];
  const values: unknown[] = [];
  const shape: string[] = [];
  const bind = (value: unknown, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  if (query.jobId !== undefined) {
    conditions.push(`job_id = ${bind(query.jobId, '::uuid')}`);
    shape.push('job');
  }
  if (query.jobType !== undefined) {
    conditions.push(`job_type = ${bind(query.jobType, '::varchar')}`);
    shape.push('job_type');
  }
  if (query.types !== undefined) {
    conditions.push(`type = ANY(${bind(query.types, '::varchar[]')})`);
    shape.push('types');
  }
  if (query.after) {
    conditions.push(`(tx_id, id) > (${bind(query.after.txId, '::bigint')}, ${bind(query.after.id, '::bigint')})`);
    shape.push('after');
  }
  if (query.upTo) {
    conditions.push(`(tx_id, id) <= (${bind(query.upTo.txId, '::bigint')}, ${bind(query.upTo.id, '::bigint')})`);
    shape.push('upto');
  }
  const limit = bind(query.limit);
  return {
    statement: {
      name: `job_events.page:${shape.join(',')}`,
      text: `SELECT ${EVENT_COLUMNS} FROM job_events WHERE ${conditions.join(' AND ')} ORDER BY tx_id, id LIMIT ${limit}`,
    },
    values,
  };
}

export const EVENT_SQL = {
  position: { name: 'job_events.position', text: 'SELECT tx_id, id FROM job_events WHERE id = $1' },
  /** The last event readers may hand out now: new streams start after it. */
  head: {
    name: 'job_events.head',
    text: `SELECT tx_id, id FROM job_events WHERE tx_id < ${HORIZON} ORDER BY tx_id DESC, id DESC LIMIT 1`,
  },
  /**
   * The shared fetcher's step: the next events below the horizon and whether committed events
   * are held back above it (visible rows at or above xmin have committed; their reader must
   * look again once the older transaction ends, which may send no notification).
   */
  next: {
    name: 'job_events.next',
    text: `WITH horizon AS MATERIALIZED (SELECT ${HORIZON} AS xmin),
             page AS (
               SELECT ${EVENT_COLUMNS} FROM job_events
               WHERE (tx_id, id) > ($1, $2) AND tx_id < (SELECT xmin FROM horizon)
               ORDER BY tx_id, id LIMIT $3),
             held AS (
               SELECT EXISTS (SELECT 1 FROM job_events
                 WHERE tx_id >= (SELECT xmin FROM horizon) AND (tx_id, id) > ($1, $2)) AS held_back)
           SELECT page.*, held.held_back FROM held LEFT JOIN page ON true ORDER BY page.tx_id, page.id`,
  },
  /**
   * Retention: one batch of expired events. SKIP LOCKED lets any number of instances delete
   * at once without waiting on each other's rows.
   */
  deleteExpired: {
    name: 'job_events.deleteExpired',
    text: `WITH deleted AS (
             DELETE FROM job_events WHERE id IN (
               SELECT id FROM job_events WHERE created_at < now() - make_interval(hours => $1)
               ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
             RETURNING 1)
           SELECT count(*)::integer AS deleted FROM deleted`,
  },
} satisfies Record<string, Statement>;
