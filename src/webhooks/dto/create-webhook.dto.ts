import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { MaxCodePoints } from '../../common/validation';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';
import { EVENT_TYPES, type EventType } from '../webhook-types';
import { IsTargetUrl } from './webhook-url';

/** A target URL: http or https, at most 2048 characters (where it may point is checked by the service). */
export function TargetUrl(required: boolean, example: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, required, nullable: !required, example, format: 'uri', maxLength: 2048 }),
    ...(required ? [] : [IsOptional()]),
    IsString(),
    MaxCodePoints(2048),
    IsTargetUrl(),
  );
}

/** A non-empty list of known values; omitted means all. */
function Filter(field: string, values: readonly string[], example: string[]): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, nullable: true, enum: values, isArray: true, example }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(values.length * 2),
    IsIn(values, { each: true, message: `each value in ${field} must be one of: ${values.join(', ')}` }),
  );
}

function Description(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, required: false, nullable: true, maxLength: 500, example: 'n8n: notify the team' }),
    IsOptional(),
    IsString(),
    MaxCodePoints(500),
  );
}

/** Body of POST /api/webhooks. */
export class CreateWebhookDto {
  /** Where events are POSTed: http or https, on a public address or a host on WEBHOOK_ALLOWED_HOSTS. */
  @TargetUrl(true, 'https://n8n.example.com/webhook/media-jobs')
  url: string;

  /** Only these event types (every type when omitted; an empty list is a 400). */
  @Filter('event_types', EVENT_TYPES, ['job.completed', 'job.failed'])
  event_types?: EventType[] | null;

  /** Only events of jobs of these types (every type when omitted; an empty list is a 400). */
  @Filter('job_types', JOB_TYPES, ['video'])
  job_types?: JobType[] | null;

  /** What the subscription is for, at most 500 characters. */
  @Description()
  description?: string | null;
}

/** Body of PATCH /api/webhooks/{id}: the fields to change (omitted or null: unchanged). */
export class UpdateWebhookDto {
  /** New target URL, checked as on create. */
  @TargetUrl(false, 'https://n8n.example.com/webhook/media-jobs-v2')
  url?: string | null;

  /** New event type filter. */
  @Filter('event_types', EVENT_TYPES, ['job.completed'])
  event_types?: EventType[] | null;

  /** New job type filter. */
  @Filter('job_types', JOB_TYPES, ['audio'])
  job_types?: JobType[] | null;

  /** New description. */
  @Description()
  description?: string | null;

  /** false pauses the subscription (no deliveries are written meanwhile); true resumes it and clears disabled_reason. */
  @ApiProperty({ type: Boolean, required: false, nullable: true, example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}
