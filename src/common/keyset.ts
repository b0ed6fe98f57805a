import type { Statement } from '../database/sql.service';
import { CURSOR_AT_SQL, type Cursor } from './pagination';

export interface KeysetQuery {
  /** Equality filters; undefined values are left out. */
  equals: [column: string, value: unknown][];
  createdAfter?: string;
  createdBefore?: string;
  cursor?: Cursor;
  limit: number;
  order: 'asc' | 'desc';
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/;

/** A bound without an offset is UTC, like every timestamp the API shows (not the session's TimeZone). */
function utcBound(bound: string): string {
  if (DATE_ONLY.test(bound)) return `${bound}T00:00:00Z`;
  return HAS_OFFSET.test(bound) ? bound : `${bound}Z`;
}

/**
 * The exclusive `created_after` / `created_before` bounds as conditions on `column`, values
 * bound through `bind`. created_at is stored with microseconds but answered with milliseconds,
 * so the bounds compare the millisecond value a client saw: created_after=<a row's created_at>
 * excludes that row. Written as ranges on the column itself so its indexes still serve them.
 */
export function createdRangeConditions(
  column: string,
  bind: (value: unknown) => string,
  createdAfter?: string,
  createdBefore?: string,
): string[] {
  const conditions: string[] = [];
  if (createdAfter !== undefined) {
    conditions.push(
      `${column} >= date_trunc('milliseconds', ${bind(utcBound(createdAfter))}::timestamptz) + interval '1 millisecond'`,
    );
  }
  if (createdBefore !== undefined) {
    conditions.push(
      `${column} < date_trunc('milliseconds', ${bind(utcBound(createdBefore))}::timestamptz + interval '999 microseconds')`,
    );
  }
  return conditions;
}

/**
 * A keyset page over (created_at, id): one prepared statement per filter shape, fetching one
 * row more than the page to tell whether a next page exists. Column names come from code,
 * never from the request.
 */
export function keysetStatement(
  table: string,
  columns: string,
  query: KeysetQuery,
): { statement: Statement; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const shape: string[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  for (const [column, value] of query.equals) {
    if (value === undefined) continue;
    conditions.push(`${column} = ${bind(value)}`);
    shape.push(column);
  }
  conditions.push(...createdRangeConditions('created_at', bind, query.createdAfter, query.createdBefore));
  if (query.createdAfter !== undefined) shape.push('after');
  if (query.createdBefore !== undefined) shape.push('before');
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  if (query.cursor) {
    const comparison = query.order === 'desc' ? '<' : '>';
    conditions.push(
      `(created_at, id) ${comparison} (${bind(query.cursor.createdAt)}::timestamptz, ${bind(query.cursor.id)}::uuid)`,
    );
    shape.push('cursor');
  }
  const limit = bind(query.limit + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return {
    statement: {
      name: `page:${table}:${shape.join(',')}`,
      text: `SELECT ${columns}, ${CURSOR_AT_SQL} FROM ${table} ${where} ORDER BY created_at ${direction}, id ${direction} LIMIT ${limit}`,
    },
    values,
  };
}
