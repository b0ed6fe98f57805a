import type { ServerResponse } from 'node:http';
import type { EventFilter, EventPosition } from './event-sql';
import { isAfter } from './event-sql';
import { sseComment, type StreamEvent } from './sse';

/**
 * Past this many unsent bytes a live client is too slow to follow: its stream ends and it
 * resumes with Last-Event-ID from the table, rather than the instance buffering without bound.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** One open event stream: its filters, how far it has read, and its socket. */
export class EventStreamClient {
  /** Everything up to here was sent (or skipped by the filters). */
  position: EventPosition = { txId: 0, id: 0 };
  /** False while catching up from the table: the shared fetcher's fan-out skips it. */
  live = false;
  closed = false;
  private readonly types?: Set<string>;

  constructor(
    private readonly raw: ServerResponse,
    readonly filter: EventFilter,
  ) {
    this.types = filter.types ? new Set(filter.types) : undefined;
    raw.once('close', () => (this.closed = true));
  }

  private matches(event: StreamEvent): boolean {
    const { row } = event;
    return (
      (this.filter.jobId === undefined || row.job_id === this.filter.jobId) &&
      (this.filter.jobType === undefined || row.job_type === this.filter.jobType) &&
      (this.types === undefined || this.types.has(row.type))
    );
  }

  /** Writes the events after this client's position that pass its filters, in order. */
  send(events: StreamEvent[]): void {
    if (this.closed) return;
    let chunk = '';
    for (const event of events) {
      if (!isAfter(event.position, this.position)) continue;
      if (this.matches(event)) chunk += event.frame;
      this.position = event.position;
    }
    if (chunk) this.raw.write(chunk);
    if (this.live && this.raw.writableLength > MAX_BUFFERED_BYTES) {
      this.end('this client reads too slowly; reconnect with Last-Event-ID to resume');
    }
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.raw.once('close', handler);
  }

  /** Moves the position forward to `position` (nothing in between passed the filters). */
  skipTo(position: EventPosition): void {
    if (isAfter(position, this.position)) this.position = position;
  }

  comment(text: string): void {
    if (!this.closed) this.raw.write(sseComment(text));
  }

  /** Resolves once the socket has taken what was written (catch-up writes no faster than it reads). */
  async drained(): Promise<void> {
    if (this.closed || !this.raw.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.raw.off('drain', done);
        this.raw.off('close', done);
        resolve();
      };
      this.raw.on('drain', done);
      this.raw.on('close', done);
    });
  }

  /** Ends the stream, with a last comment saying why. */
  end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.end(sseComment(reason));
  }
}
