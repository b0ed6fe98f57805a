import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { DELIVERY_STATUSES, EVENT_TYPES, type DeliveryStatus } from '../webhook-types';

/** One event sent (or to be sent) to a subscription. */
export class DeliveryResponseDto {
  /** Delivery id. */
  @ApiProperty({ format: 'uuid', example: '0b7d3c52-1f2e-4a6b-8c9d-5e4f3a2b1c0d' })
  id: string;

  /** The subscription. */
  @ApiProperty({ format: 'uuid', example: '6f1c2e9a-8d4b-4c1e-9a7f-3b2d1c0e9f8a' })
  webhook_id: string;

  /** The event delivered: also the `webhook-id` header, the same on every attempt. */
  @ApiProperty({ type: 'integer', format: 'int64', example: 4182 })
  event_id: number;

  /** The event's type. */
  @ApiProperty({ enum: EVENT_TYPES, example: 'job.completed' })
  event_type: string;

  /** The job the event is about. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** pending (waiting, in flight or between retries), succeeded, or failed after the last retry. */
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'succeeded' })
  status: DeliveryStatus;

  /** Attempts made so far. */
  @ApiProperty({ type: 'integer', example: 1 })
  attempts: number;

  /** When the next attempt is due (meaningful while pending). */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:05.000Z' })
  next_attempt_at: string;

  /** When the last attempt was made. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-20T10:00:05.120Z' })
  last_attempt_at: string | null;

  /** HTTP status of the last answer; null when there was none (timeout, connection error). */
  @ApiProperty({ type: 'integer', nullable: true, example: 200 })
  response_status: number | null;

  /** The first KiB of the last answer's body. */
  @ApiProperty({ type: String, nullable: true, example: 'ok' })
  response_body: string | null;

  /** Why the last attempt failed. */
  @ApiProperty({ type: String, nullable: true, example: null })
  last_error: string | null;

  /** When the delivery was written (with its event). */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:05.000Z' })
  created_at: string;

  /** When it succeeded or finally failed. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-20T10:00:05.120Z' })
  completed_at: string | null;
}

/** One page of deliveries, newest first. */
export class DeliveryPageDto {
  /** The deliveries on this page. */
  @ApiProperty({ type: [DeliveryResponseDto] })
  items: DeliveryResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}

/** Query of GET /api/webhooks/{id}/deliveries. */
export class ListDeliveriesQueryDto extends PageQueryDto {
  /** Only deliveries in this state. */
  @ApiProperty({ required: false, enum: DELIVERY_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of: ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}
