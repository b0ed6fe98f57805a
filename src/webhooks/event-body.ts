import { isoMillis } from '../common/timestamps';

/** The timestamp columns of jobs and their children end in _at (the events branch's rule). */
const TIMESTAMP_COLUMN = /_at$/;

export interface StoredEvent {
  id: number;
  type: string;
  job_id: string;
  job_type: string;
  created_at: Date;
  data: Record<string, unknown> | null;
}

/**
 * The event as GET /api/events shows it, `{id, type, job_id, job_type, created_at, data}`, with
 * the timestamps inside `data` (PostgreSQL's JSON form) in the contract's ISO form.
 * TODO(events): the events branch's toEventResponse (src/events/event-json.ts) is the one
 * place; once both branches are on main, this becomes JSON.stringify(toEventResponse(row)).
 */
export function eventBody(event: StoredEvent): string {
  let data = event.data;
  if (data) {
    data = { ...data };
    for (const key of Object.keys(data)) {
      const value = data[key];
      if (TIMESTAMP_COLUMN.test(key) && typeof value === 'string') data[key] = isoMillis(value);
    }
  }
  return JSON.stringify({
    id: event.id,
    type: event.type,
    job_id: event.job_id,
    job_type: event.job_type,
    created_at: event.created_at.toISOString(),
    data,
  });
}
