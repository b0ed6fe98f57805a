import { Module } from '@nestjs/common';
import { JobBulkService } from './job-bulk.service';
import { WebhookTargetsModule } from '../webhooks/webhook-targets.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { LeaseSweeperService } from './lease-sweeper.service';

@Module({
  imports: [WebhookTargetsModule],
  controllers: [JobsController],
  providers: [JobsService, JobBulkService, LeaseSweeperService],
  exports: [JobsService],
})
export class JobsModule {}
