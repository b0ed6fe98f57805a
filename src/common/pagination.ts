import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { InvalidInputError } from './errors';
import { NumberFromQuery } from './validation';

/** A position in a keyset-ordered list: the last row's created_at (microseconds) and id. */
export interface Cursor {
  createdAt: string;
  id: string;
}

const CURSOR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** A real UTC instant in the cursor's shape: Date rolls 2025-02-30 over, so compare the round trip. */
export function isCursorInstant(value: string | undefined): boolean {
  if (value === undefined || !CURSOR_PATTERN.test(value)) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === value.slice(0, 19);
}

/** Decodes an opaque cursor; anything that is not one of ours is a 400 naming `cursor`. */
export function decodeCursor(token: string): Cursor {
  const [createdAt, id, ...rest] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !isCursorInstant(createdAt) || !UUID_PATTERN.test(id ?? '')) {
    throw new InvalidInputError(['cursor is not a valid cursor (use next_cursor from a previous page)']);
  }
  return { createdAt, id };
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Query parameters every list shares: keyset paging and creation-time bounds. */
export class PageQueryDto {
  /** Page size, 1 to 100. */
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @NumberFromQuery()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Opaque cursor: the `next_cursor` of the previous page. */
  @ApiProperty({
    required: false,
    example: 'MjAyNi0wMS0yMFQxMDowMDowMC4wMDAwMDBafDNmYTg1ZjY0LTU3MTctNDU2Mi1iM2ZjLTJjOTYzZjY2YWZhNg',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** An optional exclusive creation-time bound (ISO 8601), as lists and bulk actions take it. */
export function CreatedBound(example: string): PropertyDecorator {
  return (target, key) => {
    const message = `${String(key)} must be an ISO 8601 date-time`;
    ApiProperty({ required: false, example })(target, key);
    IsOptional()(target, key);
    Matches(ISO_DATETIME, { message })(target, key);
    IsISO8601({ strict: true }, { message })(target, key);
  };
}

/** Exclusive creation-time bounds, for lists of jobs. */
export class CreatedRangeQueryDto extends PageQueryDto {
  /** Only items created strictly after this instant (ISO 8601). */
  @CreatedBound('2026-01-20T10:00:00.000Z')
  created_after?: string;

  /** Only items created strictly before this instant (ISO 8601). */
  @CreatedBound('2026-12-31T23:59:59.999Z')
  created_before?: string;
}

export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page.
 * Each row carries `cursor_at` (created_at with microseconds), which is not part of the answer:
 * the rows are answered as they are, and the answer's serializer, built from its documented
 * schema (http/documented-serializers.ts), writes only the documented fields. Copying each row
 * without it cost about 0.3 µs a row (object rest), 6 µs a page of 20.
 */
export function toPage<T extends { id: string }>(rows: (T & { cursor_at: string })[], limit: number): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items,
    next_cursor: hasMore && last ? encodeCursor({ createdAt: last.cursor_at, id: last.id }) : null,
  };
}

/** SQL for a timestamp as a cursor carries it: UTC, with microseconds. */
export const cursorInstantSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** SQL for the microsecond created_at a cursor carries. */
export const CURSOR_AT_SQL = `${cursorInstantSql('created_at')} AS cursor_at`;
