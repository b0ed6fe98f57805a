import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { MaxCodePoints } from '../../common/validation';
import { JOB_TYPES, type JobType } from '../job.entity';
import { DEFAULT_LEASE_SECONDS } from '../job-lifecycle';

const WORKER_ID_EXAMPLE = 'worker-7f3a@gpu-node-2';

/** Lease length in seconds, 10 to 86400. */
function LeaseSeconds(): PropertyDecorator {
  return (target, key) => {
    ApiProperty({
      type: 'integer',
      required: false,
      minimum: 10,
      maximum: 86400,
      default: DEFAULT_LEASE_SECONDS,
      example: 300,
    })(target, key);
    IsOptional()(target, key);
    IsInt()(target, key);
    Min(10)(target, key);
    Max(86400)(target, key);
  };
}

/** Identifies a worker, at most 255 characters. */
function WorkerId(): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ type: String, required: false, nullable: true, maxLength: 255, example: WORKER_ID_EXAMPLE })(
      target,
      key,
    );
    IsOptional()(target, key);
    IsString()(target, key);
    MinLength(1)(target, key);
    MaxCodePoints(255)(target, key);
  };
}

/** Body of POST /api/jobs/claim. */
export class ClaimJobDto {
  /** Only these job types (any type when omitted; an empty list is a 400). */
  @ApiProperty({ required: false, enum: JOB_TYPES, isArray: true, example: ['video', 'audio'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(JOB_TYPES.length)
  @IsIn(JOB_TYPES, { each: true, message: `each value in job_types must be one of: ${JOB_TYPES.join(', ')}` })
  job_types?: JobType[];

  /** The claiming worker; recorded on the job and required to match on complete/fail when given there. */
  @WorkerId()
  worker_id?: string | null;

  /** How long the claim holds before the job is recovered, unless renewed by heartbeat. */
  @LeaseSeconds()
  lease_seconds?: number;
}

/** Body of POST /api/jobs/{id}/heartbeat. */
export class HeartbeatJobDto {
  /** The worker holding the job; when given it must match. */
  @WorkerId()
  worker_id?: string | null;

  /** New lease length from now. */
  @LeaseSeconds()
  lease_seconds?: number;

  /** How far the work is, in percent (0..100); left out or null: unchanged. */
  @ApiProperty({ type: Number, required: false, nullable: true, minimum: 0, maximum: 100, example: 42.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'progress must be a number from 0 to 100' })
  @Min(0, { message: 'progress must be a number from 0 to 100' })
  @Max(100, { message: 'progress must be a number from 0 to 100' })
  progress?: number | null;

  /** What the worker is doing now, at most 500 characters; left out or null: unchanged. */
  @ApiProperty({ type: String, required: false, nullable: true, maxLength: 500, example: 'transcribing 3 of 7 chunks' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(500)
  progress_message?: string | null;
}

/** Body of POST /api/jobs/{id}/complete. */
export class CompleteJobDto {
  /** The worker's result. */
  @ApiProperty({
    required: false,
    nullable: true,
    type: Object,
    additionalProperties: true,
    example: { summary: 'Three scenes', scenes: 3 },
  })
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown> | null;

  /** When given, the job must be processing under this worker, or the answer is 409. */
  @WorkerId()
  worker_id?: string | null;
}

/** Body of POST /api/jobs/{id}/fail. */
export class FailJobDto {
  /** Why the job failed. */
  @ApiProperty({ example: 'ffmpeg exited with code 1: invalid data found when processing input' })
  @IsString()
  @MinLength(1)
  @MaxCodePoints(20_000)
  error: string;

  /** When given, the job must be processing under this worker, or the answer is 409. */
  @WorkerId()
  worker_id?: string | null;
}
