import { Injectable } from '@nestjs/common';
import { JobChildRepository } from '../database/job-child-repository';
import type { CreateMediaAssetDto } from './dto/create-media-asset.dto';
import type { MediaAssetResponseDto } from './dto/media-asset-response.dto';
import { MediaAsset } from './media-asset.entity';

/** Repository of `media_assets` (the design document's AssetRepository). */
@Injectable()
export class MediaAssetsRepository extends JobChildRepository.of<MediaAssetResponseDto, CreateMediaAssetDto>(
  MediaAsset,
  'Media asset',
  'asset_type',
) {}
