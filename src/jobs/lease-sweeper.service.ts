import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { Environment } from '../config/environment';
import { JobsService } from './jobs.service';

/**
 * Recovers jobs whose worker stopped renewing its lease, with no client's help. Every instance
 * runs it; the sweep statement skips rows another instance holds, so none is handled twice.
 */
@Injectable()
export class LeaseSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeperService.name);
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    private readonly jobs: JobsService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.env.LEASE_SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: recovers expired leases in batches until none is left. */
  async sweep(): Promise<number> {
    let recovered = 0;
    try {
      for (;;) {
        const batch = await this.jobs.recoverExpiredLeases();
        recovered += batch.length;
        for (const job of batch) this.logger.log(`lease expired: job ${job.id} is now ${job.status}`);
        if (batch.length < 100) break;
      }
    } catch (error) {
      this.logger.warn(`lease sweep failed: ${(error as Error).message}`);
    }
    return recovered;
  }
}
