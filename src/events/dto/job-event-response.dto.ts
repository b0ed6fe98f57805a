import { ApiProperty } from '@nestjs/swagger';
import { JOB_TYPES } from '../../jobs/job.entity';
import { JOB_EVENT_TYPES, type JobEventType } from '../job-event.entity';

/** One change of a job, or a child added to it. */
export class JobEventResponseDto {
  /** Event id: unique and positive. Pass it as `after` or `Last-Event-ID` to resume after this event. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1042 })
  id: number;

  /** What happened. */
  @ApiProperty({ enum: JOB_EVENT_TYPES, example: 'job.completed' })
  type: JobEventType;

  /** The job it happened to (it may since have been deleted). */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** The job's type. */
  @ApiProperty({ enum: JOB_TYPES, example: 'video' })
  job_type: string;

  /** When the change was made (the start of its transaction). */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:05:00.000Z' })
  created_at: string;

  /**
   * The job after the change (as its answer shows it, with `has_callback`) or the child
   * added; null for `job.deleted`.
   */
  @ApiProperty({
    type: Object,
    additionalProperties: true,
    nullable: true,
    example: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', job_type: 'video', status: 'completed' },
  })
  data: Record<string, unknown> | null;
}

/** One page of events, oldest first. */
export class JobEventPageDto {
  /** The events on this page, in reading order. */
  @ApiProperty({ type: [JobEventResponseDto] })
  items: JobEventResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
