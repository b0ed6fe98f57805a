import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/pagination';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';

/** Query of GET /api/jobs/{id}/analysis-results. */
export class ListAnalysisResultsQueryDto extends CreatedRangeQueryDto {
  /** Only results of this analysis type. */
  @ApiProperty({ required: false, enum: JOB_TYPES, example: 'video' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `analysis_type must be one of: ${JOB_TYPES.join(', ')}` })
  analysis_type?: JobType;
}
