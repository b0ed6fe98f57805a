import { isoMillis } from '../common/timestamps';

/** The timestamp columns of jobs and their children, as they appear inside an event's data. */
const TIMESTAMP_FIELDS = new Set(['created_at', 'updated_at', 'started_at', 'completed_at', 'lease_expires_at']);

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
 * TODO(events): the events branch normalizes in one place that webhooks must reuse; replace
 * this function with that one when both have landed.
 */
export function eventBody(event: StoredEvent): string {
  let data = event.data;
  if (data) {
    data = { ...data };
    for (const key of Object.keys(data)) {
      const value = data[key];
      if (TIMESTAMP_FIELDS.has(key) && typeof value === 'string') data[key] = isoMillis(value);
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
