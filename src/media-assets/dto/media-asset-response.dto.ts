import { ApiProperty } from '@nestjs/swagger';

/** A media asset: every column of `media_assets`. */
export class MediaAssetResponseDto {
  /** Asset id. */
  @ApiProperty({ format: 'uuid', example: '9b2f6c1e-2a41-4a8e-9d7b-0f6f2d1c3b4a' })
  id: string;

  /** The job it belongs to. */
  @ApiProperty({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
  job_id: string;

  /** Kind of asset. */
  @ApiProperty({ example: 'frame' })
  asset_type: string;

  /** Where the file is stored. */
  @ApiProperty({ example: 's3://media/jobs/3fa85f64/frame-0001.jpg' })
  file_path: string;

  /** File size in bytes (a JSON number). */
  @ApiProperty({ type: 'integer', format: 'int64', nullable: true, example: 482133 })
  file_size_bytes: number | null;

  /** MIME type. */
  @ApiProperty({ type: String, nullable: true, example: 'image/jpeg' })
  mime_type: string | null;

  /** Free-form metadata. */
  @ApiProperty({ type: Object, additionalProperties: true, nullable: true, example: { width: 1920 } })
  metadata: Record<string, unknown> | null;

  /** When the asset was recorded. */
  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-20T10:00:05.000Z' })
  created_at: string;
}

/** One page of assets, oldest first. */
export class MediaAssetPageDto {
  /** The assets on this page. */
  @ApiProperty({ type: [MediaAssetResponseDto] })
  items: MediaAssetResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
