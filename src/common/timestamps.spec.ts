import fc from 'fast-check';
import { isoMillis } from './timestamps';

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

describe('isoMillis', () => {
  it('writes what new Date(text).toISOString() writes, in UTC sessions and others', () => {
    const instant = fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    const offset = fc.oneof(fc.constant(0), fc.constantFrom(-480, -210, 60, 330, 840));
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 999 }), offset, (date, micros, minutes) => {
        const text = postgresJson(date, micros, minutes);
        return isoMillis(text) === new Date(text).toISOString();
      }),
      { numRuns: 5000 },
    );
  });

  it('truncates microseconds as Date does, and fills a short fraction', () => {
    expect(isoMillis('2026-01-20T10:01:00.123999+00:00')).toBe('2026-01-20T10:01:00.123Z');
    expect(isoMillis('2026-01-20T10:01:00.1+00:00')).toBe('2026-01-20T10:01:00.100Z');
    expect(isoMillis('2026-01-20T10:01:00+00:00')).toBe('2026-01-20T10:01:00.000Z');
    expect(isoMillis('2026-01-20T10:01:00.5+02:00')).toBe('2026-01-20T08:01:00.500Z');
  });
});
