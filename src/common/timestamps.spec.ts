import fc from 'fast-check';
import { types } from 'pg';
import { API_TYPES, isoMillis } from './timestamps';

/** A timestamptz as PostgreSQL writes it into JSON, at a given offset in minutes. */
function postgresJson(date: Date, micros: number, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const fraction = String(date.getUTCMilliseconds() * 1000 + micros)
    .padStart(6, '0')
    .replace(/0+$/, '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local}${fraction ? `.${fraction}` : ''}${sign}${hours}:${minutes}`;
}

/**
 * Holds isoMillis to `reference` for timestamps PostgreSQL writes with `write`: random instants
 * with microseconds, in a UTC session and at other offsets.
 */
function expectSameAsReference(
  write: (date: Date, micros: number, offsetMinutes: number) => string,
  reference: (text: string) => Date,
): void {
  const instant = fc.date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const offset = fc.oneof(fc.constant(0), fc.constantFrom(-480, -210, 60, 330, 840));
  fc.assert(
    fc.property(instant, fc.integer({ min: 0, max: 999 }), offset, (date, micros, minutes) => {
      const text = write(date, micros, minutes);
      return isoMillis(text) === reference(text).toISOString();
    }),
    { numRuns: 5000 },
  );
}

describe('isoMillis', () => {
  it('writes what new Date(text).toISOString() writes, in UTC sessions and others', () => {
    expectSameAsReference(postgresJson, (text) => new Date(text));
  });

  it('truncates microseconds as Date does, and fills a short fraction', () => {
    expect(isoMillis('2026-01-20T10:01:00.123999+00:00')).toBe('2026-01-20T10:01:00.123Z');
    expect(isoMillis('2026-01-20T10:01:00.1+00:00')).toBe('2026-01-20T10:01:00.100Z');
    expect(isoMillis('2026-01-20T10:01:00+00:00')).toBe('2026-01-20T10:01:00.000Z');
    expect(isoMillis('2026-01-20T10:01:00.5+02:00')).toBe('2026-01-20T08:01:00.500Z');
  });
});

/** A timestamptz as PostgreSQL writes it as text in a result row: 2026-01-20 10:01:00.123456+00. */
function postgresText(date: Date, micros: number, offsetMinutes: number): string {
  const json = postgresJson(date, micros, offsetMinutes);
  // Text writes the offset's minutes only when they are not zero.
  return json.replace('T', ' ').replace(/:00$/, '');
}

describe('isoMillis on result-row text', () => {
  const parse = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

  it("writes what node-postgres's own Date writes, in UTC sessions and others", () => {
    expectSameAsReference(postgresText, parse);
  });

  it('rewrites the UTC form and leaves the API form as it is', () => {
    expect(isoMillis('2026-01-20 10:01:00.123999+00')).toBe('2026-01-20T10:01:00.123Z');
    expect(isoMillis('2026-01-20 10:01:00+00')).toBe('2026-01-20T10:01:00.000Z');
    expect(isoMillis('2026-01-20 10:01:00.5+05:30')).toBe('2026-01-20T04:31:00.500Z');
    expect(isoMillis('2026-01-20T10:01:00.120Z')).toBe('2026-01-20T10:01:00.120Z');
  });
});

describe('API_TYPES', () => {
  it('parses a timestamptz into the API string and leaves every other type to node-postgres', () => {
    expect(API_TYPES.getTypeParser(types.builtins.TIMESTAMPTZ, 'text')).toBe(isoMillis);
    expect(API_TYPES.getTypeParser(types.builtins.INT4, 'text')).toBe(types.getTypeParser(types.builtins.INT4, 'text'));
    expect(API_TYPES.getTypeParser(types.builtins.TIMESTAMPTZ, 'binary')).not.toBe(isoMillis);
  });
});
