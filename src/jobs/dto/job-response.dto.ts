import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, JOB_TYPES, type JobStatus, type JobType } from '../job.entity';

/** A media analysis job (`JobResponse`). Absent values are null, never omitted. */
export class JobResponseDto {
  /** Job id. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  id: string;

  /** Which branch the job belongs to. */
  @ApiProperty({ enum: JOB_TYPES, example: 'video' })
  job_type: JobType;

  /** Lifecycle state: pending → processing → completed | failed. */
  @ApiProperty({ enum: JOB_STATUSES, example: 'pending' })
  status: JobStatus;

  /** Where the media is (http, https or s3 URL). */
  @ApiProperty({ example: 'https://cdn.example.com/videos/intro.mp4' })
  media_url: string;

  /** Instructions for the analysis. */
  @ApiProperty({ type: String, nullable: true, example: 'Summarise the key scenes' })
  prompt: string | null;

  /** Free-form processing parameters. */
  @ApiProperty({ type: Object, additionalProperties: true, nullable: true, example: { fps: 1 } })
  parameters: Record<string, unknown> | null;

  /** The worker's result, set on completion. */
  @ApiProperty({ type: Object, additionalProperties: true, nullable: true, example: null })
  result: Record<string, unknown> | null;

  /** Why the job failed. */
  @ApiProperty({ type: String, nullable: true, example: null })
  error: string | null;

  /** When the job was created. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:00.000Z' })
  created_at: string;

  /** When the job last changed. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:00.000Z' })
  updated_at: string;

  /** When processing (the current attempt) started. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  started_at: string | null;

  /** When the job completed or failed. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  completed_at: string | null;

  /** completed_at − started_at in milliseconds, computed by the database. */
  @ApiProperty({ type: 'integer', nullable: true, example: null })
  processing_time_ms: number | null;

  /** Claim order: higher first (−100..100). */
  @ApiProperty({ type: 'integer', example: 0 })
  priority: number;

  /** Claims so far (each claim counts one). */
  @ApiProperty({ type: 'integer', example: 0 })
  attempts: number;

  /** After this many expired leases the job fails. */
  @ApiProperty({ type: 'integer', example: 3 })
  max_attempts: number;

  /** Worker holding (or that last held) the job. */
  @ApiProperty({ type: String, nullable: true, example: null })
  worker_id: string | null;

  /** When the current claim's lease runs out; null when not leased. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  lease_expires_at: string | null;

  /** Progress the worker last reported by heartbeat, in percent; null until set, cleared by claim, start and retry. */
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, example: null })
  progress: number | null;

  /** What the worker last reported doing; null until set, cleared by claim, start and retry. */
  @ApiProperty({ type: String, nullable: true, maxLength: 500, example: null })
  progress_message: string | null;

  /** Whether the job was created with a callback_url (the URL itself is never answered). */
  @ApiProperty({ example: false })
  has_callback: boolean;
}

/** One page of jobs, newest first. */
export class JobPageDto {
  /** The jobs on this page. */
  @ApiProperty({ type: [JobResponseDto] })
  items: JobResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
