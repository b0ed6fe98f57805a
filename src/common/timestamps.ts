import { types } from 'pg';

// A timestamptz in a UTC session, as PostgreSQL writes it into JSON (2026-01-20T10:01:00.123456+00:00)
// or as text in a result row (2026-01-20 10:01:00.123456+00); the fraction is left out when it
// is zero. Already in the API's form (…00.123Z) also matches.
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00(?::00)?|Z)$/;

/** node-postgres's own parser of a timestamptz text (postgres-date), for any other form. */
const parseTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

/**
 * A timestamp from PostgreSQL (a result row's text or its JSON) as the API answers every
 * timestamp: ISO 8601 in UTC with milliseconds, truncated, exactly as node-postgres's Date's
 * `toISOString()` writes it. The UTC form is rewritten as text, about three times cheaper than
 * parsing it into a Date and formatting it again (V8 parses a six-digit fraction on its slow
 * path); any other offset goes through node-postgres's parser.
 */
export function isoMillis(text: string): string {
  const match = UTC_TIMESTAMP.exec(text);
  if (!match) return (text.includes('T') ? new Date(text) : parseTimestamptz(text)).toISOString();
  return `${match[1]}T${match[2]}.${`${match[3] ?? ''}000`.slice(0, 3)}Z`;
}

/**
 * The type parsers of SqlService's statements: node-postgres's, except that a timestamptz
 * arrives as the API's ISO string (isoMillis), not as a Date. Nearly every row SqlService reads
 * is answered as JSON, where a Date would only be formatted again.
 */
export const API_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.TIMESTAMPTZ && format !== 'binary' ? isoMillis : types.getTypeParser(oid, format),
};
