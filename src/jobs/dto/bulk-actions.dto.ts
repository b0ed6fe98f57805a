import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { CreatedBound } from '../../common/pagination';
import { MaxCodePoints } from '../../common/validation';
import { JOB_STATUSES, JOB_TYPES, type JobStatus, type JobType } from '../job.entity';

/** Filters both bulk actions share; every one given must match. */
class BulkFilterDto {
  /** Only jobs of this type. */
  @ApiProperty({ required: false, enum: JOB_TYPES, example: 'video' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `job_type must be one of: ${JOB_TYPES.join(', ')}` })
  job_type?: JobType;

  /** Only jobs created strictly after this instant (ISO 8601). */
  @CreatedBound('2026-01-20T10:00:00.000Z')
  created_after?: string;

  /** Only jobs created strictly before this instant (ISO 8601). */
  @CreatedBound('2026-12-31T23:59:59.999Z')
  created_before?: string;

  /** Count the matching jobs and change nothing (`changed` is then 0): what a confirmation shows. */
  @ApiProperty({ required: false, default: false, example: false })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}

/** Body of POST /api/jobs/bulk-retry: every matching failed job goes back to pending. */
export class BulkRetryDto extends BulkFilterDto {
  /** Only jobs whose error contains this text (case-insensitive). */
  @ApiProperty({ required: false, maxLength: 500, example: 'ffmpeg exited' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxCodePoints(500)
  error_contains?: string;
}

/** Body of POST /api/jobs/bulk-delete: every matching job in `status` is deleted with its children. */
export class BulkDeleteDto extends BulkFilterDto {
  /** Only jobs in this state (required, so a bulk delete never spans states by accident). */
  @ApiProperty({ enum: JOB_STATUSES, example: 'failed' })
  @IsIn(JOB_STATUSES, { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status: JobStatus;
}

/** What a bulk action found and did. */
export class BulkActionResponseDto {
  /** Jobs that matched the filters (including any another caller held at that moment, which are skipped). */
  @ApiProperty({ type: 'integer', example: 1200 })
  matched: number;

  /** Jobs changed (retried or deleted): each wrote its event. */
  @ApiProperty({ type: 'integer', example: 1198 })
  changed: number;
}
