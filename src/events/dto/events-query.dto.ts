import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';
import { JOB_EVENT_TYPES } from '../job-event.entity';
import { NumberFromQuery } from '../../common/validation';

/** An event id as text: a positive integer that JSON numbers hold exactly. */
export const EVENT_ID_PATTERN = /^[1-9]\d{0,14}$/;

const EVENT_TYPE = JOB_EVENT_TYPES.map((type) => type.replace('.', '\\.')).join('|');
const EVENT_TYPE_LIST = new RegExp(`^(${EVENT_TYPE})(,(${EVENT_TYPE}))*$`);

/** The filters the list and the stream share. */
export class EventFiltersDto {
  /** Only events after this event id (exclusive), in reading order. */
  @ApiProperty({ required: false, type: String, pattern: EVENT_ID_PATTERN.source, example: '1042' })
  @IsOptional()
  @Matches(EVENT_ID_PATTERN, { message: 'after must be an event id (a positive integer)' })
  after?: string;

  /** Only this job's events. */
  @ApiProperty({ required: false, format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  @IsOptional()
  @IsUUID('all', { message: 'job_id must be a UUID' })
  job_id?: string;

  /** Only events of jobs of this type. */
  @ApiProperty({ required: false, enum: JOB_TYPES, example: 'video' })
  @IsOptional()
  @IsIn(JOB_TYPES, { message: `job_type must be one of: ${JOB_TYPES.join(', ')}` })
  job_type?: JobType;

  /** Only these event types, comma-separated. */
  @ApiProperty({
    required: false,
    type: String,
    description: `Comma-separated event types: ${JOB_EVENT_TYPES.join(', ')}`,
    example: 'job.completed,job.failed',
  })
  @IsOptional()
  @IsString()
  @Matches(EVENT_TYPE_LIST, {
    message: `type must be a comma-separated list of event types: ${JOB_EVENT_TYPES.join(', ')}`,
  })
  type?: string;
}

/** Query of GET /api/events. */
export class ListEventsQueryDto extends EventFiltersDto {
  /** Page size, 1 to 1000. */
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 1000, default: 100, example: 100 })
  @IsOptional()
  @NumberFromQuery()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  /** Opaque cursor: the `next_cursor` of the previous page (it wins over `after`). */
  @ApiProperty({ required: false, example: 'NzQ1LjEwNDI' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}

/** Query of GET /api/events/stream. */
export class StreamEventsQueryDto extends EventFiltersDto {}
