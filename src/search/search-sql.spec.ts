import type { SearchWindow } from './search-cursor';
import type { SearchFilters } from './search-scope';
import { searchStatement } from './search-sql';

describe('search statements', () => {
  const id = '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c';
  const key = { createdAt: '2026-01-20T10:00:00.123456Z', id };
  // Every combination of filters: a name always stands for one text, and fits PostgreSQL's 63 bytes.
  const options: Partial<Record<keyof SearchFilters, unknown[]>> = {
    kind: [undefined, 'transcription', 'analysis_result'],
    jobType: [undefined, 'audio'],
    language: [undefined, 'en'],
    provider: [undefined, 'groq'],
    createdAfter: [undefined, '2026-01-01'],
    createdBefore: [undefined, '2026-02-01'],
  };
  const combinations = Object.entries(options).reduce<Partial<SearchFilters>[]>(
    (all, [name, values]) => all.flatMap((filters) => (values ?? []).map((value) => ({ ...filters, [name]: value }))),
    [{}],
  );
  const windows: SearchWindow[] = [{ high: key }, { low: key, high: key }];
  const afters = [undefined, { rank: '0.1', kind: 'transcription' as const, id }];
  const bounds = [undefined, new Date('2026-01-10T00:00:00Z'), null];

  it('names each statement shape uniquely and within 63 bytes', () => {
    const texts = new Map<string, string>();
    const check = ({ statement }: { statement: { name: string; text: string } }) => {
      expect(Buffer.byteLength(statement.name)).toBeLessThanOrEqual(63);
      const known = texts.get(statement.name);
      if (known !== undefined) expect(statement.text).toBe(known);
      texts.set(statement.name, statement.text);
    };
    for (const filters of combinations) {
      if (filters.kind === 'analysis_result' && (filters.language ?? filters.provider) !== undefined) continue;
      const all = { q: 'x', ...filters };
      for (const window of windows) for (const after of afters) check(searchStatement(all, { window, after }, 20));
      for (const probe of bounds) check(searchStatement(all, { probe }, 20));
    }
    expect(texts.size).toBeGreaterThan(500);
  });

  it('binds every value and only values (the query text never carries input)', () => {
    const filters = { q: "'; DROP TABLE jobs; --", language: "x'y", jobType: 'audio' };
    const built = searchStatement(filters, { window: { high: key } }, 5);
    expect(built.statement.text).not.toContain('DROP TABLE');
    expect(built.statement.text).not.toContain("x'y");
    expect(built.values).toEqual(["'; DROP TABLE jobs; --", 'audio', "x'y", key.createdAt, key.id, 6]);
    const probe = searchStatement(filters, { probe: new Date('2026-01-10T00:00:00Z') }, 5);
    expect(probe.statement.text).not.toContain("x'y");
    expect(probe.values).toEqual(["'; DROP TABLE jobs; --", 'audio', "x'y", '2026-01-10T00:00:00.000Z', 6]);
  });
});
