import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MaxCodePoints } from '../../common/validation';

export const ASSET_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;

/** Body of POST /api/jobs/{id}/assets. */
export class CreateMediaAssetDto {
  /** Lowercase identifier; known values: original, frame, contact_sheet, transcription. */
  @ApiProperty({ example: 'frame', pattern: ASSET_TYPE_PATTERN.source })
  @IsString()
  @Matches(ASSET_TYPE_PATTERN, { message: 'asset_type must be a lowercase identifier (^[a-z][a-z0-9_]{0,49}$)' })
  asset_type: string;

  /** Where the file is stored. */
  @ApiProperty({ example: 's3://media/jobs/3fa85f64/frame-0001.jpg', maxLength: 4096 })
  @IsString()
  @MaxCodePoints(4096)
  file_path: string;

  /** File size in bytes. */
  @ApiProperty({ type: 'integer', required: false, nullable: true, minimum: 0, example: 482133 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  file_size_bytes?: number | null;

  /** MIME type, `type/subtype`. */
  @ApiProperty({ type: String, required: false, nullable: true, maxLength: 100, example: 'image/jpeg' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mime_type must be a MIME type (type/subtype)' })
  @MaxCodePoints(100)
  mime_type?: string | null;

  /** Free-form metadata (default {}). */
  @ApiProperty({
    required: false,
    nullable: true,
    type: Object,
    additionalProperties: true,
    example: { width: 1920, height: 1080 },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown> | null;
}
