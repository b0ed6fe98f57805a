import { searchStatement, type SearchFilters } from './search-sql';

describe('searchStatement', () => {
  // Every combination of filters: a name always stands for one text, and fits PostgreSQL's 63 bytes.
  const options: Partial<Record<keyof SearchFilters, unknown[]>> = {
    kind: [undefined, 'transcription', 'analysis_result'],
    jobType: [undefined, 'audio'],
    language: [undefined, 'en'],
    provider: [undefined, 'groq'],
    createdAfter: [undefined, '2026-01-01'],
    createdBefore: [undefined, '2026-02-01'],
    cursor: [undefined, { rank: '0.1', kind: 'transcription', id: '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c' }],
  };
  const combinations = Object.entries(options).reduce<Partial<SearchFilters>[]>(
    (all, [key, values]) => all.flatMap((filters) => (values ?? []).map((value) => ({ ...filters, [key]: value }))),
    [{}],
  );

  it('names each statement shape uniquely and within 63 bytes', () => {
    const texts = new Map<string, string>();
    for (const filters of combinations) {
      const built = searchStatement({ q: 'x', limit: 20, ...filters });
      if (!built) {
        expect(filters.kind).toBe('analysis_result');
        expect(filters.language ?? filters.provider).toBeDefined();
        continue;
      }
      expect(Buffer.byteLength(built.statement.name)).toBeLessThanOrEqual(63);
      const known = texts.get(built.statement.name);
      if (known !== undefined) expect(built.statement.text).toBe(known);
      texts.set(built.statement.name, built.statement.text);
    }
    expect(texts.size).toBeGreaterThan(100);
  });

  it('binds every value and only values (the query text never carries input)', () => {
    const built = searchStatement({ q: "'; DROP TABLE jobs; --", limit: 5, language: "x'y", jobType: 'audio' });
    expect(built?.statement.text).not.toContain('DROP TABLE');
    expect(built?.statement.text).not.toContain("x'y");
    expect(built?.values).toEqual(["'; DROP TABLE jobs; --", 'audio', "x'y", 6]);
  });
});
