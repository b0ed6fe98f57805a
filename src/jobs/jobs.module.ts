import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { LeaseSweeperService } from './lease-sweeper.service';

@Module({
  controllers: [JobsController],
  providers: [JobsService, LeaseSweeperService],
  exports: [JobsService],
})
export class JobsModule {}
