import { createdRangeConditions } from '../common/keyset';
import type { Statement } from '../database/sql.service';
import type { SearchKind } from './dto/search-query.dto';
import type { SearchCursor } from './search-cursor';

export interface SearchFilters {
  q: string;
  kind?: SearchKind;
  jobType?: string;
  language?: string;
  provider?: string;
  createdAfter?: string;
  createdBefore?: string;
  cursor?: SearchCursor;
  limit: number;
}

/** A row of the search statement, before it becomes an answer. */
export interface SearchRow {
  kind: SearchKind;
  id: string;
  job_id: string;
  job_type: string;
  language: string | null;
  created_at: Date;
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
// weigh proximity too but costs about three times as much per hit, and every hit is ranked.
const RANK = (vector: string, query: string) => `ts_rank(${vector}, ${query}, 1)`;

/**
 * The search as one statement, one prepared shape per combination of filters:
 * The tsqueries are computed once (a subquery fenced by OFFSET 0 or an aggregate): inlined,
 * websearch_to_tsquery would be parsed again for every hit.
 * 1. hits: transcriptions and analysis results whose stored vector matches. A transcription is
 *    matched with the query parsed by its own language's configuration; the configurations
 *    that parse the query alike are grouped, so each distinct tsquery is one GIN index scan,
 *    and a row only counts under its own configuration.
 *    Materialized, so each hit's rank is computed once (the cursor condition and the order
 *    would each compute it again on an inlined subquery).
 * 2. page: the best `limit + 1` hits after the cursor, by (rank DESC, kind, id). Rank is a
 *    deterministic function of the row and the query, so paging neither repeats nor skips.
 * Undefined when the filters exclude every kind.
 * 3. for the page only: the snippet (ts_headline of the indexed text) and, for a word-timestamp
 *    array, the words holding a query lexeme with their own vectors (match-spans.ts pairs them up).
 */
export function searchStatement(filters: SearchFilters): { statement: Statement; values: unknown[] } | undefined {
  const values: unknown[] = [filters.q];
  const shape: string[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };

  const transcriptionsOnly = filters.language !== undefined || filters.provider !== undefined;
  const branches: string[] = [];
  const jobTypeParam = filters.jobType === undefined ? undefined : bind(filters.jobType);
  if (jobTypeParam) shape.push('j');
  const jobTypeCondition = (alias: string) =>
    jobTypeParam ? [`EXISTS (SELECT 1 FROM jobs j WHERE j.id = ${alias}.job_id AND j.job_type = ${jobTypeParam})`] : [];

  if (filters.kind !== 'analysis_result') {
    const conditions = ['t.search_vector @@ g.query', 'text_search_config(t.language) = ANY (g.configs)'];
    const configConditions = [`c.cfgnamespace = 'pg_catalog'::regnamespace`];
    if (filters.language !== undefined) {
      const language = bind(filters.language);
      conditions.push(`t.language = ${language}`);
      configConditions.push(`c.oid = text_search_config(${language})`);
      shape.push('l');
    }
    if (filters.provider !== undefined) {
      conditions.push(`t.provider = ${bind(filters.provider)}`);
      shape.push('p');
    }
    conditions.push(...jobTypeCondition('t'));
    conditions.push(...createdRangeConditions('t.created_at', bind, filters.createdAfter, filters.createdBefore));
    branches.push(`
      SELECT 'transcription'::text AS kind, t.id, t.rank, g.query
      FROM (SELECT websearch_to_tsquery(c.oid::regconfig, $1) AS query, array_agg(c.oid::regconfig) AS configs
            FROM pg_ts_config c WHERE ${configConditions.join(' AND ')} GROUP BY 1) g
      CROSS JOIN LATERAL (
        SELECT t.id, ${RANK('t.search_vector', 'g.query')} AS rank FROM transcriptions t
        WHERE ${conditions.join(' AND ')}) t`);
  }
  if (filters.kind !== 'transcription' && !transcriptionsOnly) {
    const conditions = ['r.search_vector @@ q.query', ...jobTypeCondition('r')];
    conditions.push(...createdRangeConditions('r.created_at', bind, filters.createdAfter, filters.createdBefore));
    branches.push(`
      SELECT 'analysis_result'::text AS kind, r.id, r.rank, q.query
      FROM (SELECT websearch_to_tsquery('english', $1) AS query OFFSET 0) q
      CROSS JOIN LATERAL (
        SELECT r.id, ${RANK('r.search_vector', 'q.query')} AS rank FROM analysis_results r
        WHERE ${conditions.join(' AND ')}) r`);
  }
  if (filters.kind) shape.push(filters.kind === 'transcription' ? 't' : 'r');
  if (filters.createdAfter !== undefined) shape.push('a');
  if (filters.createdBefore !== undefined) shape.push('b');

  let after = '';
  if (filters.cursor) {
    const rank = bind(filters.cursor.rank);
    after = `WHERE rank < ${rank}::real OR (rank = ${rank}::real AND (kind, id) > (${bind(filters.cursor.kind)}, ${bind(filters.cursor.id)}::uuid))`;
    shape.push('c');
  }
  // A language or provider filter leaves no analysis result: with kind=analysis_result nothing can match.
  if (branches.length === 0) return undefined;
  const limit = bind(filters.limit + 1);
  const hits = branches.join(' UNION ALL ');

  const text = `
    WITH hits AS MATERIALIZED (${hits}),
    page AS (SELECT kind, id, rank, query FROM hits ${after} ORDER BY rank DESC, kind, id LIMIT ${limit})
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
  // One letter per filter: PostgreSQL cuts statement names at 63 bytes, and two shapes must
  // never share a name.
  return { statement: { name: `search:${shape.join('')}`, text }, values };
}
