import { Injectable } from '@nestjs/common';
import { columnList } from '../database/entity-columns';
import { JobChildRepository } from '../database/job-child-repository';
import { SqlService } from '../database/sql.service';
import { MediaAsset } from './media-asset.entity';
import type { CreateMediaAssetDto } from './dto/create-media-asset.dto';
import type { MediaAssetResponseDto } from './dto/media-asset-response.dto';

const INSERT = {
  name: 'media_assets.insert',
  text: `INSERT INTO media_assets (job_id, asset_type, file_path, file_size_bytes, mime_type, metadata)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${columnList(MediaAsset)}`,
};

/** Repository of `media_assets` (the document's AssetRepository). */
@Injectable()
export class MediaAssetsService extends JobChildRepository<MediaAssetResponseDto> {
  constructor(sql: SqlService) {
    super(sql, MediaAsset, 'Media asset', 'asset_type');
  }

  create(jobId: string, dto: CreateMediaAssetDto): Promise<MediaAssetResponseDto> {
    return this.insert(jobId, INSERT, [
      jobId,
      dto.asset_type,
      dto.file_path,
      dto.file_size_bytes ?? null,
      dto.mime_type ?? null,
      JSON.stringify(dto.metadata ?? {}),
    ]);
  }
}
