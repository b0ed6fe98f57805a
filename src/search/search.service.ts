import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, type Page } from '../common/pagination';
import { SqlService } from '../database/sql.service';
import type { SearchHitDto } from './dto/search-response.dto';
import type { SearchQueryDto } from './dto/search-query.dto';
import { matchSpans, positiveUnits } from './match-spans';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { searchesAnything, type SearchFilters } from './search-scope';
import { fetchSearchPage, type RunStatement } from './search-page';
import type { SearchRow } from './search-sql';
import { headlineToHtml, plainWord } from './snippet';

/** Full-text search over transcriptions and analysis results (GET /api/search). */
@Injectable()
export class SearchService {
  constructor(private readonly sql: SqlService) {}

  async search(query: SearchQueryDto): Promise<Page<SearchHitDto> & { capped: boolean }> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filters: SearchFilters = {
      q: query.q,
      kind: query.kind,
      jobType: query.job_type,
      language: query.language,
      provider: query.provider,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
    };
    const cursor = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
    if (!searchesAnything(filters)) return { items: [], next_cursor: null, capped: false };
    // The first page fixes the window; later pages rank the same one, whatever was inserted since.
    const run: RunStatement = (built) => this.sql.query(built.statement, built.values);
    const { rows, window } = await fetchSearchPage(filters, cursor, limit, run);
    if (!window) return { items: [], next_cursor: null, capped: false };
    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(toHit),
      next_cursor:
        hasMore && last ? encodeSearchCursor({ rank: last.rank_text, kind: last.kind, id: last.id, window }) : null,
      capped: window.capped ?? false,
    };
  }
}

function toHit(row: SearchRow): SearchHitDto {
  return {
    kind: row.kind,
    id: row.id,
    job_id: row.job_id,
    job_type: row.job_type,
    language: row.language,
    created_at: row.created_at,
    rank: row.rank,
    snippet: headlineToHtml(row.headline ?? ''),
    matches:
      row.marked_words && row.matched_words
        ? matchSpans(
            positiveUnits(row.query_text),
            row.matched_words.map(([index, vector, start, end]) => ({ index, vector, start, end })),
            row.marked_words.split(' ').map(plainWord),
          )
        : [],
  };
}
