import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/errors';
import { SqlService } from '../database/sql.service';
import type { JobEventPageDto } from './dto/job-event-response.dto';
import { EVENT_ID_PATTERN, type EventFiltersDto, type ListEventsQueryDto } from './dto/events-query.dto';
import { toEventResponse, type JobEventRow } from './event-json';
import { EVENT_SQL, eventPageStatement, type EventFilter, type EventPageQuery, type EventPosition } from './event-sql';

export const DEFAULT_EVENT_PAGE_SIZE = 100;

const CURSOR = /^(\d{1,19})\.(\d{1,19})$/;

function encodeEventCursor(position: EventPosition): string {
  return Buffer.from(`${position.txId}.${position.id}`, 'utf8').toString('base64url');
}

function decodeEventCursor(token: string): EventPosition {
  const match = CURSOR.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new InvalidInputError(['cursor is not a valid cursor (use next_cursor from a previous page)']);
  return { txId: Number(match[1]), id: Number(match[2]) };
}

/** The event filters of a query, as the SQL and the in-memory stream filter use them. */
export function eventFilter(query: EventFiltersDto): EventFilter {
  return {
    jobId: query.job_id,
    jobType: query.job_type,
    types: query.type === undefined ? undefined : [...new Set(query.type.split(','))],
  };
}

/** Reads job_events in the one reading order, (tx_id, id), below the xmin horizon. */
@Injectable()
export class EventsService {
  constructor(private readonly sql: SqlService) {}

  async list(query: ListEventsQueryDto): Promise<JobEventPageDto> {
    const limit = query.limit ?? DEFAULT_EVENT_PAGE_SIZE;
    const after =
      query.cursor !== undefined
        ? decodeEventCursor(query.cursor)
        : query.after !== undefined
          ? await this.positionOf(query.after, 'after')
          : undefined;
    const rows = await this.page({ ...eventFilter(query), after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toEventResponse),
      next_cursor: rows.length > limit ? encodeEventCursor({ txId: Number(last.tx_id), id: Number(last.id) }) : null,
    };
  }

  /**
   * Where a stream starts: after `Last-Event-ID` (EventSource sends it on reconnect, so it wins),
   * else after `after`, else (undefined) with new events.
   */
  async streamStart(query: EventFiltersDto, lastEventId: string | undefined): Promise<EventPosition | undefined> {
    if (lastEventId !== undefined && lastEventId !== '') {
      if (!EVENT_ID_PATTERN.test(lastEventId)) {
        throw new InvalidInputError(['Last-Event-ID must be an event id (a positive integer)']);
      }
      return this.positionOf(lastEventId, 'Last-Event-ID');
    }
    return query.after === undefined ? undefined : this.positionOf(query.after, 'after');
  }

  /** Rows of a page, oldest first, still with their tx_id. */
  async page(query: EventPageQuery): Promise<JobEventRow[]> {
    const { statement, values } = eventPageStatement(query);
    return this.sql.query<JobEventRow>(statement, values);
  }

  /**
   * Where event `id` sits in the reading order. An id no row has (never written, or deleted
   * after EVENTS_RETENTION_HOURS) cannot be resumed from without a gap: a 400 naming `field`.
   */
  async positionOf(id: string, field: string): Promise<EventPosition> {
    const [row] = await this.sql.query<{ tx_id: number; id: number }>(EVENT_SQL.position, [id]);
    if (!row) {
      throw new InvalidInputError([
        `${field}: event ${id} does not exist (it was never written, or is older than the retention period)`,
      ]);
    }
    return { txId: Number(row.tx_id), id: Number(row.id) };
  }

  /** The last event a reader may hand out now, or (0, 0) when there is none. */
  async head(): Promise<EventPosition> {
    const [row] = await this.sql.query<{ tx_id: number; id: number }>(EVENT_SQL.head);
    return row ? { txId: Number(row.tx_id), id: Number(row.id) } : { txId: 0, id: 0 };
  }

  /** The next events after `position`, and whether committed ones wait above the horizon. */
  async next(position: EventPosition, limit: number): Promise<{ rows: JobEventRow[]; heldBack: boolean }> {
    const rows = await this.sql.query<JobEventRow & { held_back: boolean }>(EVENT_SQL.next, [
      position.txId,
      position.id,
      limit,
    ]);
    return { rows: rows.filter((row) => row.id !== null), heldBack: rows[0]?.held_back ?? false };
  }

  /** Deletes one batch of events older than `hours`; the number deleted. */
  async deleteExpired(hours: number, batchSize: number): Promise<number> {
    const [row] = await this.sql.query<{ deleted: number }>(EVENT_SQL.deleteExpired, [hours, batchSize]);
    return row.deleted;
  }
}
