import { isoMillis } from '../common/timestamps';
import type { JobEventResponseDto } from './dto/job-event-response.dto';
import type { JobEventType } from './job-event.entity';

/** A job_events row as the readers fetch it (timestamps as PostgreSQL writes them). */
export interface JobEventRow {
  id: number;
  tx_id: number;
  type: JobEventType;
  job_id: string;
  job_type: string;
  created_at: string | Date;
  data: Record<string, unknown> | null;
}

// The row columns that are timestamps end in _at (created_at, updated_at, started_at,
// completed_at, lease_expires_at); nested JSON (parameters, metadata, result) is the
// client's own and stays as it was written.
const TIMESTAMP_COLUMN = /_at$/;

/**
 * The triggers store `data` as to_jsonb(row), so its timestamps are in PostgreSQL's JSON form
 * (2026-01-20T10:00:00.123456+00:00); the API answers them as every other timestamp
 * (2026-01-20T10:00:00.123Z). The one place that does it, for the list, the stream and webhooks.
 */
export function normalizeEventData(data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (data === null) return null;
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    normalized[key] = typeof value === 'string' && TIMESTAMP_COLUMN.test(key) ? isoMillis(value) : value;
  }
  return normalized;
}

/** An event exactly as /api/events, the stream and webhook deliveries show it. */
export function toEventResponse(row: Omit<JobEventRow, 'tx_id'>): JobEventResponseDto {
  return {
    id: Number(row.id),
    type: row.type,
    job_id: row.job_id,
    job_type: row.job_type,
    created_at: row.created_at instanceof Date ? row.created_at.toISOString() : isoMillis(row.created_at),
    data: normalizeEventData(row.data),
  };
}
