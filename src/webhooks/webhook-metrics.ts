import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { SqlService } from '../database/sql.service';
import { MetricsService } from '../metrics/metrics.service';
import { DELIVERY_SQL } from './delivery-sql';

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'gone';

/** The backlog is a count over pending rows: computed at most this often, however often Prometheus scrapes. */
const BACKLOG_TTL_MS = 5_000;

/** Webhook metrics in the service's registry: attempts by outcome, their latency, and the backlog. */
@Injectable()
export class WebhookMetrics {
  readonly attempts: Counter<'outcome' | 'target'>;
  readonly attemptDuration: Histogram<'outcome'>;
  readonly deliveryLag: Histogram;
  private backlog?: { at: number; due: number; scheduled: number };

  constructor(metrics: MetricsService, sql: SqlService) {
    const registers = [metrics.registry];
    this.attempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome (succeeded, retrying, failed for good, gone = 410 disabled the subscription) and target (webhook or callback)',
      labelNames: ['outcome', 'target'] as const,
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'webhook_delivery_duration_seconds',
      help: 'Duration of one webhook HTTP attempt, by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.deliveryLag = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'From the event being written to its delivery succeeding (retries included)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400],
      registers,
    });
    const current = async () => {
      if (!this.backlog || Date.now() - this.backlog.at > BACKLOG_TTL_MS) {
        const [row] = await sql.query<{ due: number; scheduled: number }>(DELIVERY_SQL.backlog).catch(() => []);
        if (row) this.backlog = { at: Date.now(), ...row };
      }
      return this.backlog;
    };
    new Gauge({
      name: 'webhook_deliveries_pending',
      help: 'Pending webhook deliveries: due now, or scheduled for a retry (refreshed at most every 5 s)',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const backlog = await current();
        if (!backlog) return;
        this.set({ state: 'due' }, backlog.due);
        this.set({ state: 'scheduled' }, backlog.scheduled);
      },
    });
  }
}
