import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../config/environment';
import { JobsService } from './jobs.service';

/**
 * Recovers jobs whose worker stopped renewing its lease, with no client's help. Every instance
 * runs it; the sweep statement skips rows another instance holds, so none is handled twice.
 */
@Injectable()
export class LeaseSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly jobs: JobsService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, this.env.LEASE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
