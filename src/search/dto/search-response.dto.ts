import { ApiProperty } from '@nestjs/swagger';
import { JOB_TYPES } from '../../jobs/job.entity';
import { SEARCH_CANDIDATES } from '../search-window';
import { SEARCH_KINDS } from './search-query.dto';

const NEWEST = SEARCH_CANDIDATES.toLocaleString('en');

/** Where in the media the query matched. */
export class SearchMatchDto {
  /** Start of the first matched word, in seconds. */
  @ApiProperty({ example: 12.48 })
  start: number;

  /** End of the last matched word, in seconds. */
  @ApiProperty({ example: 13.9 })
  end: number;

  /** The matched words. */
  @ApiProperty({ example: 'quarterly review' })
  text: string;
}

/** One hit: a transcription or an analysis result. */
export class SearchHitDto {
  /** What was found. */
  @ApiProperty({ enum: SEARCH_KINDS, example: 'transcription' })
  kind: string;

  /** Id of the transcription or analysis result. */
  @ApiProperty({ format: 'uuid', example: '5c0a7e2d-8d3b-4f0e-a1c2-7e9b6d5f4a3c' })
  id: string;

  /** The job it belongs to. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** The job's type. */
  @ApiProperty({ enum: JOB_TYPES, example: 'audio' })
  job_type: string;

  /** The transcription's language; null for analysis results and untagged transcriptions. */
  @ApiProperty({ type: String, nullable: true, example: 'en' })
  language: string | null;

  /** When the transcription or analysis result was recorded. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:01:00.000Z' })
  created_at: string;

  /** Relevance (PostgreSQL ts_rank, length-normalized); higher is better. */
  @ApiProperty({ example: 0.0833 })
  rank: number;

  /** A short excerpt as HTML: the text escaped, matched words in <mark>…</mark>. */
  @ApiProperty({ example: 'the <mark>quarterly</mark> <mark>review</mark> starts with the &lt;draft&gt; budget' })
  snippet: string;

  /** Up to 20 time spans where the query matched (transcriptions with a word-timestamp array; else empty). */
  @ApiProperty({ type: [SearchMatchDto] })
  matches: SearchMatchDto[];
}

/** One page of hits, best first among the newest SEARCH_CANDIDATES matches. */
export class SearchPageDto {
  /** The hits on this page. */
  @ApiProperty({ type: [SearchHitDto] })
  items: SearchHitDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;

  @ApiProperty({
    example: false,
    description:
      `Whether matches were left out: only the newest ${NEWEST} matches (by creation time) are ranked, ` +
      'and the query has (or may have) older ones. Narrow the query, or pass `created_before`, to reach them.',
  })
  capped: boolean;
}
