import { ApiProperty } from '@nestjs/swagger';
import { JOB_TYPES } from '../../jobs/job.entity';

/** An analysis result: every column of `analysis_results`. */
export class AnalysisResultResponseDto {
  /** Analysis result id. */
  @ApiProperty({ format: 'uuid', example: '7d1e3f5a-9b2c-4d6e-8f0a-1b3c5d7e9f2a' })
  id: string;

  /** The job it belongs to. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** Which kind of analysis this is. */
  @ApiProperty({ enum: JOB_TYPES, example: 'video' })
  analysis_type: string;

  /** Short human-readable summary. */
  @ApiProperty({ type: String, nullable: true, example: 'A product demo in three scenes.' })
  summary: string | null;

  /** Structured analysis. */
  @ApiProperty({ type: Object, additionalProperties: true, nullable: true, example: { scenes: [] } })
  detailed_analysis: Record<string, unknown> | null;

  /** Model confidence, 0..1. */
  @ApiProperty({ type: Number, nullable: true, example: 0.87 })
  confidence_score: number | null;

  /** Model that produced the analysis. */
  @ApiProperty({ type: String, nullable: true, example: 'MiniMax-VL-01' })
  model_used: string | null;

  /** Prompt sent to the model. */
  @ApiProperty({ type: String, nullable: true, example: 'Describe each scene.' })
  prompt_used: string | null;

  /** Tokens sent to the model. */
  @ApiProperty({ type: 'integer', nullable: true, example: 1520 })
  input_tokens: number | null;

  /** Tokens the model produced. */
  @ApiProperty({ type: 'integer', nullable: true, example: 310 })
  output_tokens: number | null;

  /** When the result was recorded. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:02:00.000Z' })
  created_at: string;
}

/** One page of analysis results, oldest first. */
export class AnalysisResultPageDto {
  /** The analysis results on this page. */
  @ApiProperty({ type: [AnalysisResultResponseDto] })
  items: AnalysisResultResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
