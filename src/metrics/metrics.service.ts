import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, type Metric, Registry } from 'prom-client';
import { SqlService } from '../database/sql.service';
import { RequestDurations } from './request-durations';

const JOB_COUNTS = {
  name: 'metrics.jobCounts',
  text: 'SELECT job_type, status, count(*)::integer AS count FROM jobs GROUP BY job_type, status',
};
/** Job counts are a grouped scan: computed at most this often, however often Prometheus scrapes. */
const JOB_COUNTS_TTL_MS = 15_000;

/** Prometheus metrics of this process; one registry per app instance (tests run several). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requestDurations = new RequestDurations();

  readonly claims = new Counter({
    name: 'job_claims_total',
    help: 'Claim requests by outcome (claimed, or empty when no job waited)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly transitions = new Counter({
    name: 'job_transitions_total',
    help: 'Job status changes made through the API and the lease sweep, by new status and cause',
    labelNames: ['status', 'cause'] as const,
    registers: [this.registry],
  });

  observeRequest(method: string, route: string, status: number, elapsedMs: number): void {
    this.requestDurations.observe(method, route, status, elapsedMs / 1000);
  }

  private jobCounts?: { at: number; rows: { job_type: string; status: string; count: number }[] };

  constructor(private readonly sql: SqlService) {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(this.requestDurations as unknown as Metric);
    const stats = () => this.sql.poolStats();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const { total, idle, waiting } = stats();
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    const counts = () => this.currentJobCounts();
    new Gauge({
      name: 'jobs',
      help: 'Jobs by status and type (refreshed at most every 15 s)',
      labelNames: ['status', 'job_type'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await counts()) this.set({ status: row.status, job_type: row.job_type }, row.count);
      },
    });
  }

  private async currentJobCounts() {
    if (!this.jobCounts || Date.now() - this.jobCounts.at > JOB_COUNTS_TTL_MS) {
      const rows = await this.sql
        .query<{ job_type: string; status: string; count: number }>(JOB_COUNTS)
        .catch(() => this.jobCounts?.rows ?? []);
      this.jobCounts = { at: Date.now(), rows };
    }
    return this.jobCounts.rows;
  }
}
