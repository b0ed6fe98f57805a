import { Module } from '@nestjs/common';
import { MediaAssetsController } from './media-assets.controller';
import { MediaAssetsRepository } from './media-assets.repository';

@Module({
  controllers: [MediaAssetsController],
  providers: [MediaAssetsRepository],
  exports: [MediaAssetsRepository],
})
export class MediaAssetsModule {}
