import { Injectable } from '@nestjs/common';
import { JobChildRepository } from '../database/job-child-repository';
import { SqlService } from '../database/sql.service';
import type { CreateMediaAssetDto } from './dto/create-media-asset.dto';
import type { MediaAssetResponseDto } from './dto/media-asset-response.dto';

/** The columns of an asset answer, named: a column added later must not change a prepared result. */
const COLUMNS = 'id, job_id, asset_type, file_path, file_size_bytes, mime_type, metadata, created_at';

const INSERT = {
  name: 'media_assets.insert',
  text: `INSERT INTO media_assets (job_id, asset_type, file_path, file_size_bytes, mime_type, metadata)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${COLUMNS}`,
};

/** Repository of `media_assets` (the document's AssetRepository). */
@Injectable()
export class MediaAssetsService extends JobChildRepository<MediaAssetResponseDto> {
  constructor(sql: SqlService) {
    super(sql, 'media_assets', COLUMNS, 'Media asset', 'asset_type');
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
