import { ApiProperty } from '@nestjs/swagger';
import { JOB_TYPES, type JobType } from '../../jobs/job.entity';
import { EVENT_TYPES, type EventType } from '../webhook-types';

const SECRET_EXAMPLE = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+8a8oM0mTf4=';

/** A webhook subscription (never its secret). */
export class WebhookResponseDto {
  /** Subscription id. */
  @ApiProperty({ format: 'uuid', example: '6f1c2e9a-8d4b-4c1e-9a7f-3b2d1c0e9f8a' })
  id: string;

  /** Where events are POSTed. */
  @ApiProperty({ example: 'https://n8n.example.com/webhook/media-jobs' })
  url: string;

  /** What the subscription is for. */
  @ApiProperty({ type: String, nullable: true, example: 'n8n: notify the team' })
  description: string | null;

  /** Event types delivered; null: every type. */
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, nullable: true, example: ['job.completed', 'job.failed'] })
  event_types: EventType[] | null;

  /** Job types whose events are delivered; null: every type. */
  @ApiProperty({ enum: JOB_TYPES, isArray: true, nullable: true, example: null })
  job_types: JobType[] | null;

  /** Whether events are delivered. */
  @ApiProperty({ example: true })
  enabled: boolean;

  /** Why the service disabled it (the target answered 410 Gone); null otherwise. */
  @ApiProperty({ type: String, nullable: true, example: null })
  disabled_reason: string | null;

  /** When it was created. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:00.000Z' })
  created_at: string;

  /** When it last changed. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:00.000Z' })
  updated_at: string;
}

/** A new subscription, with its signing secret (shown only here and on rotation). */
export class CreatedWebhookResponseDto extends WebhookResponseDto {
  /** The Standard Webhooks signing secret: keep it, it is not shown again. */
  @ApiProperty({ example: SECRET_EXAMPLE })
  secret: string;
}

/** The new secret after a rotation; the previous one keeps signing for 24 hours. */
export class RotatedSecretResponseDto {
  /** The new Standard Webhooks signing secret. */
  @ApiProperty({ example: SECRET_EXAMPLE })
  secret: string;
}

/** One page of subscriptions, newest first. */
export class WebhookPageDto {
  /** The subscriptions on this page. */
  @ApiProperty({ type: [WebhookResponseDto] })
  items: WebhookResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
