import { createdRangeConditions } from '../common/keyset';
import type { SearchKind } from './dto/search-query.dto';

/** What a search matches: the query and its filters. */
export interface SearchFilters {
  q: string;
  kind?: SearchKind;
  jobType?: string;
  language?: string;
  provider?: string;
  createdAfter?: string;
  createdBefore?: string;
}

/** A table searched: the tsqueries for it (`g.query`) and the conditions on its rows (`x`). */
interface Branch {
  kind: SearchKind;
  table: string;
  queries: string;
  where: string[];
  /** The created_after / created_before conditions alone. */
  range: string[];
}

/**
 * The configurations of the languages transcriptions have, from the language index (one probe
 * per distinct tag). Each distinct tsquery is a GIN scan of its lexemes' posting lists, so a
 * configuration no row uses (say hungarian, which stems `revenue or growth -market` its own
 * way) would cost a scan of the frequent words for nothing: bench:search, 6 scans down to 2.
 */
const CONFIGS_IN_USE = `
  WITH RECURSIVE tags AS (
    SELECT min(language) AS tag FROM transcriptions
    UNION ALL
    SELECT (SELECT min(language) FROM transcriptions WHERE language > tags.tag) FROM tags WHERE tags.tag IS NOT NULL)
  SELECT text_search_config(tag) FROM tags WHERE tag IS NOT NULL
  UNION ALL
  SELECT text_search_config(NULL) WHERE EXISTS (SELECT 1 FROM transcriptions WHERE language IS NULL)`;

/** The columns of SearchScope.hits. */
export const HIT_COLUMNS = 'kind, id, created_at, ctid, query';

/** A language or provider filter leaves no analysis result: with kind=analysis_result nothing can match. */
export function searchesAnything(filters: SearchFilters): boolean {
  return filters.kind !== 'analysis_result' || (filters.language === undefined && filters.provider === undefined);
}

/**
 * The bound values ($1 is q) and the searched tables of one statement, and the letters of its
 * shape: one prepared statement per combination of filters.
 *
 * The tsqueries are computed once (a subquery fenced by OFFSET 0 or an aggregate): inlined,
 * websearch_to_tsquery would be parsed again for every hit. A transcription is matched with
 * the query parsed by its own language's configuration; the configurations that parse the
 * query alike are grouped, so each distinct tsquery is one GIN index scan, and a row only
 * counts under its own configuration.
 */
export class SearchScope {
  readonly values: unknown[];
  readonly branches: Branch[] = [];
  private readonly shape: string[] = [];

  constructor(filters: SearchFilters) {
    this.values = [filters.q];
    const jobType = filters.jobType === undefined ? undefined : this.bind(filters.jobType, 'j');
    const ofJobType = jobType
      ? [`EXISTS (SELECT 1 FROM jobs j WHERE j.id = x.job_id AND j.job_type = ${jobType})`]
      : [];
    if (filters.kind !== 'analysis_result') {
      const where = ['x.search_vector @@ g.query', 'text_search_config(x.language) = ANY (g.configs)'];
      const configs = [`c.cfgnamespace = 'pg_catalog'::regnamespace`];
      if (filters.language !== undefined) {
        const language = this.bind(filters.language, 'l');
        where.push(`x.language = ${language}`);
        configs.push(`c.oid = text_search_config(${language})`);
      } else {
        configs.push(`c.oid IN (${CONFIGS_IN_USE})`);
      }
      if (filters.provider !== undefined) where.push(`x.provider = ${this.bind(filters.provider, 'p')}`);
      this.branches.push({
        kind: 'transcription',
        table: 'transcriptions',
        queries: `(SELECT websearch_to_tsquery(c.oid::regconfig, $1) AS query, array_agg(c.oid::regconfig) AS configs
            FROM pg_ts_config c WHERE ${configs.join(' AND ')} GROUP BY 1)`,
        where: [...where, ...ofJobType],
        range: [],
      });
    }
    if (filters.kind !== 'transcription' && filters.language === undefined && filters.provider === undefined) {
      this.branches.push({
        kind: 'analysis_result',
        table: 'analysis_results',
        queries: `(SELECT websearch_to_tsquery('english', $1) AS query OFFSET 0)`,
        where: ['x.search_vector @@ g.query', ...ofJobType],
        range: [],
      });
    }
    for (const branch of this.branches) {
      branch.range = createdRangeConditions(
        'x.created_at',
        (value) => this.bind(value),
        filters.createdAfter,
        filters.createdBefore,
      );
      branch.where.push(...branch.range);
    }
    if (filters.kind) this.shape.push(filters.kind === 'transcription' ? 't' : 'r');
    if (filters.createdAfter !== undefined) this.shape.push('a');
    if (filters.createdBefore !== undefined) this.shape.push('b');
  }

  /** Binds a value; `letter` marks the statement's shape (one letter per filter). */
  bind(value: unknown, letter?: string): string {
    this.values.push(value);
    if (letter) this.mark(letter);
    return `$${this.values.length}`;
  }

  /** Adds a letter to the statement's shape: every variant of its text needs its own. */
  mark(letter: string): void {
    this.shape.push(letter);
  }

  /**
   * The statement's name: PostgreSQL cuts names at 63 bytes, and two shapes must never share
   * a name, so one letter per filter.
   */
  name(statement: string): string {
    return `${statement}:${this.shape.join('')}`;
  }

  /**
   * Every hit under `conditions` too, as HIT_COLUMNS. ctid: the candidates' rows are read
   * again to rank them, by the address the hit was found at (same statement, same snapshot:
   * the same row version), about twice as fast as by primary key.
   */
  hits(conditions: string[] = []): string {
    return this.branches
      .map(
        (branch) => `
      SELECT '${branch.kind}'::text AS kind, x.id, x.created_at, x.ctid, g.query FROM ${branch.queries} g
      CROSS JOIN LATERAL (
        SELECT x.id, x.created_at, x.ctid FROM ${branch.table} x
        WHERE ${[...branch.where, ...conditions].join(' AND ')}) x`,
      )
      .join(' UNION ALL ');
  }

  /**
   * `sql` for each searched table, given its rows in the creation range, matching or not, as
   * `<table> x WHERE …`. (Per table: over a UNION ALL of the two, PostgreSQL 15 does not read
   * the created_at indexes in order.)
   */
  perTable(sql: (rows: string) => string): string[] {
    return this.branches.map((branch) =>
      sql(`${branch.table} x WHERE ${['x.created_at IS NOT NULL', ...branch.range].join(' AND ')}`),
    );
  }
}
