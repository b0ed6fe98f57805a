import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/pagination';
import { JOB_STATUSES, JOB_TYPES, type JobStatus, type JobType } from '../job.entity';

/** Query of GET /api/media/{type}: one branch's jobs. */
export class ListBranchJobsQueryDto extends CreatedRangeQueryDto {
  /** Only jobs in this state. */
  @ApiProperty({ required: false, enum: JOB_STATUSES, example: 'pending' })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;
}

/** Query of GET /api/jobs: all jobs. */
export class ListJobsQueryDto extends ListBranchJobsQueryDto {
  /** Only jobs of this type. */
  @ApiProperty({ required: false, enum: JOB_TYPES, example: 'video' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `job_type must be one of: ${JOB_TYPES.join(', ')}` })
  job_type?: JobType;
}
