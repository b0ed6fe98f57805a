import type { QueryResultRow } from 'pg';
import type { Statement } from '../database/sql.service';
import type { SearchCursor, SearchWindow } from './search-cursor';
import type { SearchFilters } from './search-scope';
import { searchStatement, type SearchRow } from './search-sql';
import { afterProbe, type ProbeRow } from './search-window';

export type RunStatement = <T extends QueryResultRow>(built: {
  statement: Statement;
  values: unknown[];
}) => Promise<T[]>;

/**
 * The rows of one page and its window: a later page ranks the cursor's window; a first page
 * probes for the newest SEARCH_CANDIDATES hits, further back until the probe is conclusive,
 * and gets its rows from that last probe. `run` executes a statement.
 */
export async function fetchSearchPage(
  filters: SearchFilters,
  cursor: SearchCursor | undefined,
  limit: number,
  run: RunStatement,
): Promise<{ rows: SearchRow[]; window: SearchWindow | undefined }> {
  if (cursor) {
    const rows = await run<SearchRow>(searchStatement(filters, { window: cursor.window, after: cursor }, limit));
    return { rows, window: cursor.window };
  }
  let probe: Date | null | undefined;
  for (let probes = 1; ; probes++) {
    const rows = await run<ProbeRow & SearchRow>(searchStatement(filters, { probe }, limit));
    const next = afterProbe(rows[0], probes);
    if ('window' in next) return { rows: rows.filter((row) => row.id !== null), window: next.window };
    probe = next.bound;
  }
}
