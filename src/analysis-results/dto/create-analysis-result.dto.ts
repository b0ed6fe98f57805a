import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { MaxCodePoints } from '../../common/validation';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';

const MAX_INT4 = 2_147_483_647;

/** Body of POST /api/jobs/{id}/analysis-results. */
export class CreateAnalysisResultDto {
  /** Which kind of analysis this is. */
  @ApiProperty({ enum: JOB_TYPES, example: 'video' })
  @IsIn(JOB_TYPES, { message: `analysis_type must be one of: ${JOB_TYPES.join(', ')}` })
  analysis_type: JobType;

  /** Short human-readable summary. */
  @ApiProperty({ type: String, required: false, nullable: true, example: 'A product demo in three scenes.' })
  @IsOptional()
  @IsString()
  summary?: string | null;

  /** Structured analysis as the model produced it. */
  @ApiProperty({
    required: false,
    nullable: true,
    type: Object,
    additionalProperties: true,
    example: { scenes: [{ start: 0, end: 12.5, label: 'intro' }] },
  })
  @IsOptional()
  @IsObject()
  detailed_analysis?: Record<string, unknown> | null;

  /** Model confidence, 0..1. */
  @ApiProperty({ type: Number, required: false, nullable: true, minimum: 0, maximum: 1, example: 0.87 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence_score?: number | null;

  /** Model that produced the analysis, at most 100 characters. */
  @ApiProperty({ type: String, required: false, nullable: true, maxLength: 100, example: 'MiniMax-VL-01' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(100)
  model_used?: string | null;

  /** Prompt sent to the model. */
  @ApiProperty({ type: String, required: false, nullable: true, example: 'Describe each scene.' })
  @IsOptional()
  @IsString()
  prompt_used?: string | null;

  /** Tokens sent to the model. */
  @ApiProperty({ type: 'integer', required: false, nullable: true, minimum: 0, example: 1520 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT4)
  input_tokens?: number | null;

  /** Tokens the model produced. */
  @ApiProperty({ type: 'integer', required: false, nullable: true, minimum: 0, example: 310 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT4)
  output_tokens?: number | null;
}
