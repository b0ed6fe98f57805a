import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/pagination';
import { MaxCodePoints } from '../../common/validation';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';
import { TRANSCRIPTION_PROVIDERS, type TranscriptionProvider } from '../../transcriptions/dto/create-transcription.dto';

export const SEARCH_KINDS = ['transcription', 'analysis_result'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Query of GET /api/search. */
export class SearchQueryDto extends CreatedRangeQueryDto {
  /**
   * What to find, in web-search syntax: words (all must match), `"exact phrase"`, `or`
   * between alternatives, `-word` to exclude. 1 to 500 characters, with at least one letter or digit.
   */
  @ApiProperty({ minLength: 1, maxLength: 500, example: '"quarterly review" budget -draft' })
  @IsString()
  @MinLength(1, { message: 'q must not be empty' })
  @MaxCodePoints(500)
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain at least one word (letters or digits)' })
  q: string;

  /** Only transcriptions or only analysis results. */
  @ApiProperty({ required: false, enum: SEARCH_KINDS, example: 'transcription' })
  @IsOptional()
  @IsIn(SEARCH_KINDS, { message: `kind must be one of: ${SEARCH_KINDS.join(', ')}` })
  kind?: SearchKind;

  /** Only hits of jobs of this type. */
  @ApiProperty({ required: false, enum: JOB_TYPES, example: 'audio' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `job_type must be one of: ${JOB_TYPES.join(', ')}` })
  job_type?: JobType;

  /** Only transcriptions in this language (the BCP 47 tag exactly as stored); analysis results have none. */
  @ApiProperty({ required: false, maxLength: 10, example: 'en' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, {
    message: 'language must be a BCP 47 language tag such as en or pt-BR',
  })
  @MaxCodePoints(10)
  language?: string;

  /** Only transcriptions from this provider; analysis results have none. */
  @ApiProperty({ required: false, enum: TRANSCRIPTION_PROVIDERS, example: 'deepgram' })
  @IsOptional()
  @IsIn(TRANSCRIPTION_PROVIDERS, { message: `provider must be one of: ${TRANSCRIPTION_PROVIDERS.join(', ')}` })
  provider?: TranscriptionProvider;
}
