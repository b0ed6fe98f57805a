import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/pagination';
import { ASSET_TYPE_PATTERN } from './create-media-asset.dto';

/** Query of GET /api/jobs/{id}/assets. */
export class ListMediaAssetsQueryDto extends CreatedRangeQueryDto {
  /** Only assets of this type. */
  @ApiProperty({ required: false, example: 'frame' })
  @IsOptional()
  @IsString()
  @Matches(ASSET_TYPE_PATTERN, { message: 'asset_type must be a lowercase identifier (^[a-z][a-z0-9_]{0,49}$)' })
  asset_type?: string;
}
