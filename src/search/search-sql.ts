import type { Cursor } from '../common/pagination';
import type { Statement } from '../database/sql.service';
import type { SearchKind } from './dto/search-query.dto';
import type { SearchCursor, SearchWindow } from './search-cursor';
import { HIT_COLUMNS, SearchScope, type SearchFilters } from './search-scope';
import { PROBE_COLUMNS, probeParts } from './search-window';

/** A row of the search statement, before it becomes an answer. */
export interface SearchRow {
  kind: SearchKind;
  id: string;
  job_id: string;
  job_type: string;
  language: string | null;
  created_at: string;
  rank: number;
  rank_text: string;
  query_text: string;
  headline: string | null;
  marked_words: string | null;
  matched_words: [index: number, vector: string, start: number, end: number][] | null;
}

// ts_headline marks matches with \x01 … \x02 (turned into <mark> in Node after escaping). The
// indexed text (transcription_search_text, analysis_search_text of migration Search) has '<' as
// \x03 and no \x01–\x03 of its own, so these marks can only come from ts_headline.
const MARKS = `StartSel=\x01, StopSel=\x02`;
const SNIPPET_OPTIONS = `'${MARKS}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'`;
/**
 * Words of a timestamp array looked at for `matches`: about the indexed text's 100,000
 * characters, and a bound on the work per hit for a transcript of a megabyte.
 */
const MATCH_WORDS_MAX = 20_000;
/** A word of the timestamp array as the parser should see it: no blanks (they separate words here), '<' as \x03. */
const PLAIN_WORD = (word: string) =>
  `translate(regexp_replace(${word}, '\\s', '_', 'g'), E'<\\x01\\x02\\x03', E'\\x03___')`;
// ts_rank, length-normalized (1: divided by 1 + log of the document length). ts_rank_cd would
// weigh proximity too but costs about three times as much per hit, and every candidate is ranked.
const RANK = (vector: string, query: string) => `ts_rank(${vector}, ${query}, 1)`;

/** Where a page's hits come from: a later page's window, or a first page's probe (search-window.ts). */
export type SearchSource =
  { window: SearchWindow; after?: Omit<SearchCursor, 'window'> } | { probe: Date | null | undefined };

/**
 * A page of the search as one statement, one prepared shape per combination of filters:
 * 1. hits: the transcriptions and analysis results whose stored vector matches
 *    (search-scope.ts), read through GIN: on a first page those of the probe, on a later
 *    page those of the window. A window with a lower bound is read through GIN and the
 *    created_at index together (a BitmapAnd), so only its rows are fetched; a window without
 *    one holds every hit, and its upper bound only filters them.
 * 2. ranked: the candidates (the window's hits, on a first page the newest SEARCH_CANDIDATES
 *    of the probe's once it is conclusive), each ranked once (materialized: the cursor
 *    condition and the order would each rank again on an inlined subquery).
 * 3. page: the best `limit + 1` after the cursor, by (rank DESC, kind, id). Rank is a
 *    deterministic function of the row and the query, and every page ranks the same window,
 *    so paging neither repeats nor skips.
 * 4. for the page only: the snippet (ts_headline of the indexed text) and, for a word-timestamp
 *    array, the words holding a query lexeme with their own vectors (match-spans.ts pairs them up).
 * A probing statement answers the probe's columns too, on every row and on a row of their own
 * when the page is empty.
 */
export function searchStatement(
  filters: SearchFilters,
  source: SearchSource,
  limit: number,
): { statement: Statement; values: unknown[] } {
  const scope = new SearchScope(filters);
  let hits: string;
  let candidates = `SELECT ${HIT_COLUMNS} FROM hits`;
  const conditions: string[] = [];
  if ('probe' in source) {
    ({ ctes: hits, candidates } = probeParts(scope, source.probe));
  } else {
    const key = (bound: Cursor) => `(${scope.bind(bound.createdAt)}::timestamptz, ${scope.bind(bound.id)}::uuid)`;
    const { low, high } = source.window;
    const upTo = key(high);
    const inWindow = low ? [`(x.created_at, x.id) >= ${key(low)}`, `(x.created_at, x.id) <= ${upTo}`] : [];
    if (!low) candidates += ` WHERE (created_at, id) <= ${upTo}`;
    scope.mark(low ? 'w' : 'u');
    hits = `hits AS MATERIALIZED (${scope.hits(inWindow)})`;
    if (source.after) {
      const rank = scope.bind(source.after.rank, 'c');
      const after = `(${scope.bind(source.after.kind)}, ${scope.bind(source.after.id)}::uuid)`;
      conditions.push(`(rank < ${rank}::real OR (rank = ${rank}::real AND (kind, id) > ${after}))`);
    }
  }
  // LIMIT (SELECT $n): the planner estimates a sub-select alike whether or not it knows $n,
  // so after five executions PostgreSQL keeps one generic plan instead of planning each time
  // (2 to 3 ms a statement); with LIMIT $n a custom plan always looked cheaper.
  const limitParam = scope.bind(limit + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const page = `
    SELECT p.kind, p.id, j.id AS job_id, j.job_type, t.language, COALESCE(t.created_at, r.created_at) AS created_at,
      p.rank, p.rank::text AS rank_text, p.query::text AS query_text,
      CASE WHEN t.id IS NOT NULL
        THEN ts_headline(text_search_config(t.language), transcription_search_text(t.text_content), p.query, ${SNIPPET_OPTIONS})
        ELSE ts_headline('english', analysis_search_text(r.summary, r.detailed_analysis), p.query, ${SNIPPET_OPTIONS})
      END AS headline,
      words.marked AS marked_words, words.matched AS matched_words
    FROM page p
    LEFT JOIN transcriptions t ON p.kind = 'transcription' AND t.id = p.id
    LEFT JOIN analysis_results r ON p.kind = 'analysis_result' AND r.id = p.id
    JOIN jobs j ON j.id = COALESCE(t.job_id, r.job_id)
    LEFT JOIN LATERAL (
      SELECT m.marked, (
        SELECT json_agg(json_build_array(w.ord - 1, to_tsvector(text_search_config(t.language), w.word)::text,
                 t.word_timestamps -> (w.ord::int - 1) -> 'start', t.word_timestamps -> (w.ord::int - 1) -> 'end') ORDER BY w.ord)
        FROM regexp_split_to_table(m.marked, ' ') WITH ORDINALITY AS w(word, ord)
        WHERE strpos(w.word, E'\\x01') > 0) AS matched
      FROM (
        SELECT ts_headline(text_search_config(t.language),
                 string_agg(${PLAIN_WORD(`e.word ->> 'word'`)}, ' ' ORDER BY e.ord),
                 p.query, 'HighlightAll=true, ${MARKS}') AS marked
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.word_timestamps) = 'array' THEN t.word_timestamps ELSE '[]' END)
               WITH ORDINALITY AS e(word, ord)
               WHERE e.ord <= ${MATCH_WORDS_MAX}) m
      WHERE jsonb_typeof(t.word_timestamps) = 'array') words ON true
    ORDER BY p.rank DESC, p.kind, p.id`;
  const text = `
    WITH ${hits},
    ranked AS MATERIALIZED (
      SELECT c.kind, c.id, c.query, ${RANK('COALESCE(t.search_vector, r.search_vector)', 'c.query')} AS rank
      FROM (${candidates}) c
      LEFT JOIN transcriptions t ON c.kind = 'transcription' AND t.ctid = c.ctid
      LEFT JOIN analysis_results r ON c.kind = 'analysis_result' AND r.ctid = c.ctid),
    page AS (SELECT kind, id, rank, query FROM ranked ${where} ORDER BY rank DESC, kind, id LIMIT (SELECT ${limitParam}::int))
    ${'probe' in source ? `SELECT ${PROBE_COLUMNS}, p.* FROM probe LEFT JOIN (${page}) p ON true ORDER BY p.rank DESC, p.kind, p.id` : page}`;
  return { statement: { name: scope.name('search'), text }, values: scope.values };
}
