import { ApiProperty } from '@nestjs/swagger';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';

/** How many jobs are in each status. */
export class StatusCountsDto {
  @ApiProperty({ type: 'integer', example: 12 })
  pending: number;

  @ApiProperty({ type: 'integer', example: 3 })
  processing: number;

  @ApiProperty({ type: 'integer', example: 5400 })
  completed: number;

  @ApiProperty({ type: 'integer', example: 17 })
  failed: number;
}

/** Jobs that finished within a window, by outcome (by `completed_at`, which complete and fail set). */
export class FinishedCountsDto {
  @ApiProperty({ type: 'integer', example: 42 })
  completed: number;

  @ApiProperty({ type: 'integer', example: 1 })
  failed: number;
}

/** The queue's state, for one job type or for all. */
export class QueueStatsDto {
  /** Jobs per status. */
  @ApiProperty({ type: StatusCountsDto })
  counts: StatusCountsDto;

  /** All jobs, whatever their status. */
  @ApiProperty({ type: 'integer', example: 5432 })
  total: number;

  /** created_at of the oldest pending job (null when none waits): how long the queue lags. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-20T09:58:12.000Z' })
  oldest_pending_created_at: string | null;

  /** Completions and failures in the last 5 minutes. */
  @ApiProperty({ type: FinishedCountsDto })
  last_5_minutes: FinishedCountsDto;

  /** Completions and failures in the last hour. */
  @ApiProperty({ type: FinishedCountsDto })
  last_hour: FinishedCountsDto;
}

/** The queue's state for one job type. */
export class JobTypeStatsDto extends QueueStatsDto {
  /** Which branch. */
  @ApiProperty({ enum: JOB_TYPES, example: 'video' })
  job_type: JobType;
}

/** GET /api/stats: the queue at a glance. */
export class StatsResponseDto {
  /** When these figures were read. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:00.000Z' })
  generated_at: string;

  /** Every job type, always all three, in a fixed order (video, audio, document). */
  @ApiProperty({ type: JobTypeStatsDto, isArray: true })
  job_types: JobTypeStatsDto[];

  /** The sums over all types (the oldest pending job of any type). */
  @ApiProperty({ type: QueueStatsDto })
  totals: QueueStatsDto;
}
