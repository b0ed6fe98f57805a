import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { JOB_TYPES } from '../jobs/job.entity';
import { createMediaController } from './media.controller';

@Module({
  imports: [JobsModule],
  controllers: JOB_TYPES.map(createMediaController),
})
export class MediaModule {}
