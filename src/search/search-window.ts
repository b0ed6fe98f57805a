import { cursorInstantSql } from '../common/pagination';
import type { SearchWindow } from './search-cursor';
import { HIT_COLUMNS, type SearchScope } from './search-scope';

/**
 * How many hits a search ranks: the newest SEARCH_CANDIDATES matches, by (created_at, id).
 * Core PostgreSQL has no index that orders full-text matches by rank, so every ranked hit's
 * row is read and its vector ranked; a frequent word matches a quarter of the table. Reading
 * only the newest matches (GIN and the created_at index together) keeps a request at a few
 * thousand rows whatever the query: in bench:search two frequent words went from p95 160 ms
 * to 33 ms. Ranking 1,000 costs 2 to 5 ms.
 */
export const SEARCH_CANDIDATES = 1000;

/**
 * The first probe covers the newest rows of the searched tables, this many: words in at least
 * one row in eight fill the window in one probe.
 */
const FIRST_PROBE_ROWS = 8 * SEARCH_CANDIDATES;
/** A probe reaches at most this many times further back than the previous one. */
const MAX_WIDENING = 64;
/** After this many probes the next one covers everything (no lower bound): bounded round trips. */
const MAX_PROBES = 4;

/** The columns of ProbeRow. */
export const PROBE_COLUMNS = 'found, covers_all, top_ms, oldest_ms, bound_ms, low_at, low_id, high_at, high_id';

/** What a probe found: columns of every row of a probing statement. */
export interface ProbeRow {
  /** Hits at or after the bound. */
  found: number;
  /** Whether the bound reaches the oldest row, so the probe saw every hit. */
  covers_all: boolean;
  /** Milliseconds since the epoch of the newest and the oldest row searched (null: none), and of the bound. */
  top_ms: number | null;
  oldest_ms: number | null;
  bound_ms: number | null;
  /** The SEARCH_CANDIDATES-th newest hit (null when fewer), and the newest. */
  low_at: string | null;
  low_id: string | null;
  high_at: string | null;
  high_id: string | null;
}

/**
 * A probe for a first page's window, as parts of the search statement (search-sql.ts):
 * `hits` are those created at or after a bound (by default about the FIRST_PROBE_ROWS-th newest
 * row of the searched tables; null: no bound), read through GIN and the created_at index
 * together; `probe` is one row saying what was found (ProbeRow); `candidates` are the newest
 * SEARCH_CANDIDATES of the hits once the probe is conclusive (the window is full, or holds
 * every hit), and none otherwise, so that an inconclusive probe ranks nothing.
 */
export function probeParts(scope: SearchScope, bound: Date | null | undefined): { ctes: string; candidates: string } {
  // About FIRST_PROBE_ROWS rows: the later of the tables' bounds for an equal share each.
  const share = Math.ceil(FIRST_PROBE_ROWS / scope.branches.length);
  const nth = (rows: string) =>
    `(SELECT x.created_at FROM ${rows} ORDER BY x.created_at DESC OFFSET ${share - 1} LIMIT 1)`;
  let boundSql = `COALESCE(GREATEST(${scope.perTable(nth).join(', ')}), '-infinity')`;
  if (bound) boundSql = `${scope.bind(bound.toISOString(), 'o')}::timestamptz`;
  else if (bound === null) boundSql = `'-infinity'::timestamptz`;
  if (!bound) scope.mark(bound === null ? 'n' : 'f');
  const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
  const newest = `FROM hits ORDER BY created_at DESC, id DESC`;
  const everyHit = scope.hits(['x.created_at IS NOT NULL']);
  const span = `
    span AS MATERIALIZED (
      SELECT GREATEST(${scope.perTable((rows) => `(SELECT max(x.created_at) FROM ${rows})`).join(', ')}) AS top,
        LEAST(${scope.perTable((rows) => `(SELECT min(x.created_at) FROM ${rows})`).join(', ')}) AS oldest,
        ${boundSql} AS bound)`;
  // Hits so sparse since the bound that, at that rate, fewer than SEARCH_CANDIDATES match in
  // all: every hit at once (up to one more, to tell), GIN alone, instead of another probe.
  const hits =
    bound === null
      ? `hits AS MATERIALIZED (${everyHit})`
      : `
    recent AS MATERIALIZED (${scope.hits(['x.created_at IS NOT NULL', 'x.created_at >= (SELECT bound FROM span)'])}),
    sparse AS MATERIALIZED (
      SELECT CASE WHEN s.bound > s.oldest
        THEN r.n < ${SEARCH_CANDIDATES} AND r.n * (s.top - s.oldest) <= ${SEARCH_CANDIDATES} * (s.top - s.bound)
        ELSE false END AS likely
      FROM (SELECT count(*) AS n FROM recent) r, span s),
    everything AS MATERIALIZED (
      SELECT ${HIT_COLUMNS} FROM (${everyHit}) h WHERE (SELECT likely FROM sparse) LIMIT ${SEARCH_CANDIDATES + 1}),
    whole AS MATERIALIZED (
      SELECT (SELECT likely FROM sparse) AND (SELECT count(*) FROM everything) <= ${SEARCH_CANDIDATES} AS used),
    hits AS (
      SELECT ${HIT_COLUMNS} FROM everything WHERE (SELECT used FROM whole)
      UNION ALL SELECT ${HIT_COLUMNS} FROM recent WHERE NOT (SELECT used FROM whole))`;
  const coversAll = `s.oldest IS NULL OR s.bound <= s.oldest${bound === null ? '' : ' OR (SELECT used FROM whole)'}`;
  const ctes = `${span},${hits},
    probe AS MATERIALIZED (
      SELECT (SELECT count(*) FROM hits)::int AS found, ${coversAll} AS covers_all,
        ${epochMs('s.top')} AS top_ms, ${epochMs('s.oldest')} AS oldest_ms, ${epochMs('s.bound')} AS bound_ms,
        ${cursorInstantSql('low.created_at')} AS low_at, low.id AS low_id,
        ${cursorInstantSql('high.created_at')} AS high_at, high.id AS high_id
      FROM span s
      LEFT JOIN LATERAL (SELECT created_at, id ${newest} OFFSET ${SEARCH_CANDIDATES - 1} LIMIT 1) low ON true
      LEFT JOIN LATERAL (SELECT created_at, id ${newest} LIMIT 1) high ON true)`;
  const conclusive = `(SELECT found >= ${SEARCH_CANDIDATES} OR covers_all FROM probe)`;
  const candidates = `SELECT ${HIT_COLUMNS} FROM hits WHERE ${conclusive} ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CANDIDATES}`;
  return { ctes, candidates };
}

/**
 * After a probe: the window (undefined when nothing matches at all), or the bound of the next
 * probe. The next one reaches back as far as the hits found so far suggest the window needs,
 * with a margin, at least twice and at most MAX_WIDENING times as far as this one.
 */
export function afterProbe(
  row: ProbeRow,
  probes: number,
): { window: SearchWindow | undefined } | { bound: Date | null } {
  const high = row.high_at && row.high_id ? { createdAt: row.high_at, id: row.high_id } : undefined;
  if (row.low_at && row.low_id && high) {
    // Exactly SEARCH_CANDIDATES hits, all of them seen: nothing left out.
    const capped = !(row.covers_all && row.found === SEARCH_CANDIDATES);
    return { window: { low: { createdAt: row.low_at, id: row.low_id }, high, capped } };
  }
  if (row.covers_all) return { window: high && { high } };
  const { top_ms: top, oldest_ms: oldest, bound_ms: bound } = row;
  if (probes >= MAX_PROBES || top === null || oldest === null || bound === null) return { bound: null };
  const widening = row.found === 0 ? MAX_WIDENING : Math.ceil((1.25 * SEARCH_CANDIDATES) / row.found);
  const next = top - Math.max(top - bound, 1) * Math.min(MAX_WIDENING, Math.max(2, widening));
  // Reaching back over most of the rows: no bound at all, so that GIN alone is read (the
  // created_at index would only add a scan of most of its entries).
  return { bound: next <= oldest + (top - oldest) / 2 ? null : new Date(next) };
}
