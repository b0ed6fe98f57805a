import { toEventResponse, type JobEventRow } from './event-json';
import type { EventPosition } from './event-sql';

/** A job event ready to write to any stream: its place in the reading order and its SSE frame. */
export interface StreamEvent {
  position: EventPosition;
  row: JobEventRow;
  frame: string;
}

/**
 * The Server-Sent Events frame of one event: `id`, `event` (its type) and `data` (the event as
 * /api/events shows it; JSON.stringify escapes newlines, so it is one data line).
 */
export function sseFrame(row: JobEventRow): string {
  return `id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(toEventResponse(row))}\n\n`;
}

export function toStreamEvent(row: JobEventRow): StreamEvent {
  return { position: { txId: Number(row.tx_id), id: Number(row.id) }, row, frame: sseFrame(row) };
}

/** A comment line: ignored by EventSource, it keeps proxies from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/\n/g, ' ')}\n\n`;
}
