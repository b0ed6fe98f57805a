import { toEventResponse, type JobEventRow } from '../events/event-json';

/** A stored event as a delivery reads it (its reading position does not matter here). */
export type StoredEvent = Omit<JobEventRow, 'tx_id'>;

/** A delivery's body: the event exactly as GET /api/events shows it (one place: toEventResponse). */
export function eventBody(event: StoredEvent): string {
  return JSON.stringify(toEventResponse(event));
}
