import { afterProbe, SEARCH_CANDIDATES, type ProbeRow } from './search-window';

describe('afterProbe', () => {
  const day = 86_400_000;
  const top = Date.UTC(2026, 0, 20);
  const probe = (row: Partial<ProbeRow>): ProbeRow => ({
    found: 0,
    covers_all: false,
    top_ms: top,
    oldest_ms: top - 1000 * day,
    bound_ms: top - day,
    low_at: null,
    low_id: null,
    high_at: null,
    high_id: null,
    ...row,
  });
  const low = { low_at: '2026-01-19T00:00:00.000000Z', low_id: '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c' };
  const high = { high_at: '2026-01-20T00:00:00.000000Z', high_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };

  it('ends with the window once it is full, capped unless it holds every hit', () => {
    const window = {
      low: { createdAt: low.low_at, id: low.low_id },
      high: { createdAt: high.high_at, id: high.high_id },
    };
    expect(afterProbe(probe({ found: SEARCH_CANDIDATES + 5, ...low, ...high }), 1)).toEqual({
      window: { ...window, capped: true },
    });
    expect(afterProbe(probe({ found: SEARCH_CANDIDATES, covers_all: true, ...low, ...high }), 1)).toEqual({
      window: { ...window, capped: false },
    });
    expect(afterProbe(probe({ found: SEARCH_CANDIDATES + 1, covers_all: true, ...low, ...high }), 1)).toEqual({
      window: { ...window, capped: true },
    });
  });

  it('ends with every hit (no lower bound), or none, once the probe saw them all', () => {
    expect(afterProbe(probe({ found: 3, covers_all: true, ...high }), 2)).toEqual({
      window: { high: { createdAt: high.high_at, id: high.high_id } },
    });
    expect(afterProbe(probe({ covers_all: true }), 1)).toEqual({ window: undefined });
  });

  it('reaches back as far as the hits found suggest, with a margin, from 2 to 64 times as far', () => {
    const reach = (found: number) => {
      const next = afterProbe(probe({ found, ...high }), 1) as { bound: Date };
      return (top - next.bound.getTime()) / day;
    };
    expect(reach(0)).toBe(64);
    expect(reach(SEARCH_CANDIDATES / 4)).toBe(5);
    expect(reach(SEARCH_CANDIDATES - 1)).toBe(2);
    expect(reach(1)).toBe(64);
  });

  it('covers everything once the next bound reaches back over most rows, or after four probes', () => {
    expect(afterProbe(probe({ oldest_ms: top - 10 * day }), 1)).toEqual({ bound: null });
    expect(afterProbe(probe({ oldest_ms: top - 127 * day }), 1)).toEqual({ bound: null });
    expect(afterProbe(probe({ oldest_ms: top - 129 * day }), 1)).toHaveProperty('bound', expect.any(Date));
    expect(afterProbe(probe({ found: 10 }), 4)).toEqual({ bound: null });
    expect(afterProbe(probe({ found: 10 }), 3)).toHaveProperty('bound', expect.any(Date));
  });

  it('still widens when every row of the probe has one instant', () => {
    const next = afterProbe(probe({ bound_ms: top }), 1) as { bound: Date };
    expect(next.bound.getTime()).toBe(top - 64);
  });
});
