import { Module } from '@nestjs/common';
import { TranscriptionsController } from './transcriptions.controller';
import { TranscriptionsRepository } from './transcriptions.repository';

@Module({
  controllers: [TranscriptionsController],
  providers: [TranscriptionsRepository],
  exports: [TranscriptionsRepository],
})
export class TranscriptionsModule {}
