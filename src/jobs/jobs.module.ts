import { Module } from '@nestjs/common';
import { WebhookTargetsModule } from '../webhooks/webhook-targets.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { LeaseSweeperService } from './lease-sweeper.service';

@Module({
  imports: [WebhookTargetsModule],
  controllers: [JobsController],
  providers: [JobsService, LeaseSweeperService],
  exports: [JobsService],
})
export class JobsModule {}
