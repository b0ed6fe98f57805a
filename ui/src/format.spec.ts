import { formatBytes, formatDuration, formatRelative, localInputToIso, shortId } from './format';

describe('dashboard formatting', () => {
  it.each([
    [null, '—'],
    [0, '0 ms'],
    [950, '950 ms'],
    [1200, '1.2 s'],
    [42_000, '42 s'],
    [184_000, '3 min 4 s'],
    [7_500_000, '2 h 5 min'],
    [273_600_000, '3 d 4 h'],
  ])('formatDuration(%p) is %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [null, '—'],
    [512, '512 B'],
    [1536, '1.5 KB'],
    [1_572_864, '1.5 MB'],
    [20 * 1024 * 1024, '20 MB'],
    [3 * 1024 ** 4, '3.0 TB'],
  ])('formatBytes(%p) is %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says how long ago or how soon, in the largest whole unit', () => {
    const now = Date.parse('2026-01-20T10:00:00.000Z');
    expect(formatRelative('2026-01-20T09:57:00.000Z', now)).toMatch(/3 minutes ago/);
    expect(formatRelative('2026-01-20T10:00:20.000Z', now)).toMatch(/in 20 seconds/);
    expect(formatRelative('2026-01-18T10:00:00.000Z', now)).toMatch(/2 days ago/);
    expect(formatRelative(null, now)).toBe('');
  });

  it('turns a datetime-local value (the viewer’s zone) into an ISO instant, and ignores junk', () => {
    const local = '2026-01-20T10:30:15';
    expect(localInputToIso(local)).toBe(new Date(local).toISOString());
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('not a date')).toBeUndefined();
  });

  it('shortens ids to their first 8 characters', () => {
    expect(shortId('3fa85f64-5717-4562-b3fc-2c963f66afa6')).toBe('3fa85f64');
  });
});
