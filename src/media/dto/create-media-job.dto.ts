import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsMediaUrl } from '../../common/media-url';
import { MaxCodePoints } from '../../common/validation';
import { JOB_DEFAULTS } from '../../jobs/job.entity';
import { TargetUrl } from '../../webhooks/dto/create-webhook.dto';

/** Body of POST /api/media/{video|audio|document}. */
export class CreateMediaJobDto {
  /** Absolute http, https or s3 URL of the media, at most 2048 characters. */
  @ApiProperty({ example: 'https://cdn.example.com/videos/intro.mp4', format: 'uri', maxLength: 2048 })
  @IsString()
  @MaxCodePoints(2048)
  @IsMediaUrl()
  media_url: string;

  /** Instructions for the analysis, at most 20,000 characters. */
  @ApiProperty({ type: String, required: false, nullable: true, maxLength: 20000, example: 'Summarise the key scenes' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(20_000)
  prompt?: string | null;

  /** Free-form processing parameters (default {}). */
  @ApiProperty({
    required: false,
    nullable: true,
    type: Object,
    additionalProperties: true,
    example: { fps: 1, max_frames: 60 },
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;

  /** Claim order, −100..100: higher is claimed first. */
  @ApiProperty({
    type: 'integer',
    required: false,
    minimum: -100,
    maximum: 100,
    default: JOB_DEFAULTS.priority,
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(-100)
  @Max(100)
  priority?: number;

  /** Claims allowed before an expired lease fails the job, 1..20. */
  @ApiProperty({
    type: 'integer',
    required: false,
    minimum: 1,
    maximum: 20,
    default: JOB_DEFAULTS.max_attempts,
    example: 3,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  max_attempts?: number;

  /**
   * Where this job's job.completed / job.failed are POSTed (e.g. an n8n Wait node's resume URL),
   * signed like a webhook; checked like a webhook URL. Write-only: answers say has_callback.
   */
  @TargetUrl(false, 'https://n8n.example.com/webhook-waiting/4821')
  callback_url?: string | null;
}
