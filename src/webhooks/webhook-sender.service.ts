import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Environment } from '../config/environment';
import { SqlService } from '../database/sql.service';
import { DELIVERY_SQL } from './delivery-sql';
import { eventBody, type StoredEvent } from './event-body';
import { JsonPoster, type AttemptResult } from './post-json';
import { signatureHeaders } from './signing';
import { type AttemptOutcome, WebhookMetrics } from './webhook-metrics';
import { WebhookTargets } from './webhook-targets';

interface ClaimedDelivery extends Omit<StoredEvent, 'id' | 'created_at'> {
  id: string;
  /** The delivery's, ISO (SqlService). */
  created_at: string;
  webhook_id: string | null;
  attempts: number;
  url: string;
  secret: string | null;
  previous_secret: string | null;
  event_id: number;
  event_missing: boolean;
}

/** ±20 % around a retry delay, so retries of many deliveries do not arrive in lockstep. */
export function withJitter(delayMs: number, random = Math.random()): number {
  return delayMs * (0.8 + 0.4 * random);
}

/** What a failed attempt leads to: a retry after the schedule's delay, or the end. */
export function nextRetryDelayMs(
  attempts: number,
  scheduleMs: readonly number[],
  random = Math.random(),
): number | null {
  return attempts <= scheduleMs.length ? withJitter(scheduleMs[attempts - 1], random) : null;
}

/**
 * Sends due webhook deliveries; every instance runs one. Deliveries are claimed from the
 * database under a lease (SKIP LOCKED), so instances share the work and a crashed instance's
 * claims are taken over when their lease runs out: at least once, with the same webhook-id.
 * Bounded concurrency per instance and per target host; per job and target, one delivery at a
 * time in event order (the claim statement's rule).
 */
@Injectable()
export class WebhookSenderService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookSender');
  private readonly poster: JsonPoster;
  private readonly scheduleMs: number[];
  private readonly leaseSeconds: number;
  private readonly abort = new AbortController();
  /** Claimed deliveries (sending or waiting for their host): their host and subscription, and the promise to await on shutdown. */
  private readonly inFlight = new Map<string, { host: string; webhookId: string | null; done?: Promise<void> }>();
  private readonly perHost = new Map<string, number>();
  /** Claimed deliveries waiting for a free connection to their host, oldest first. */
  private readonly waiting = new Map<string, { delivery: ClaimedDelivery; url: URL }[]>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private tickAgain = false;
  private stopping = false;

  constructor(
    private readonly sql: SqlService,
    private readonly env: Environment,
    private readonly targets: WebhookTargets,
    private readonly metrics: WebhookMetrics,
  ) {
    this.poster = new JsonPoster(targets.policy, env.WEBHOOK_TIMEOUT_MS, env.WEBHOOK_HOST_CONCURRENCY);
    this.scheduleMs = env.webhookRetryScheduleMs;
    setMaxListeners(0, this.abort.signal); // one listener per send in flight
    // Long enough for every claimed delivery to be sent (a claim may wait for its host while
    // WEBHOOK_CONCURRENCY / WEBHOOK_HOST_CONCURRENCY sends to it run first, each within the
    // timeout) and recorded; a crashed instance's claims are sent again once it has passed.
    const rounds = Math.ceil(env.WEBHOOK_CONCURRENCY / env.WEBHOOK_HOST_CONCURRENCY);
    this.leaseSeconds = rounds * Math.ceil(env.WEBHOOK_TIMEOUT_MS / 1000) + 5;
  }

  onApplicationBootstrap(): void {
    if (!this.targets.secrets.encrypts) {
      this.logger.warn('WEBHOOK_SECRETS_KEY is not set: webhook signing secrets are stored unencrypted');
    }
    this.timer = setInterval(() => this.wake(), this.env.WEBHOOK_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops claiming, cuts sends short and gives their claims back, so another instance resends them at once. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.abort.abort();
    await this.ticking;
    for (const queue of this.waiting.values()) {
      for (const { delivery } of queue.splice(0)) {
        this.inFlight.delete(delivery.id);
        await this.release(delivery);
      }
    }
    await Promise.all([...this.inFlight.values()].map((send) => send.done));
    this.poster.close();
  }

  /** Looks for due deliveries now (one look at a time; a request during one runs right after). */
  wake(): void {
    if (this.stopping) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      if (this.tickAgain) {
        this.tickAgain = false;
        this.wake();
      }
    });
  }

  private async tick(): Promise<void> {
    const free = this.env.WEBHOOK_CONCURRENCY - this.inFlight.size;
    if (free <= 0) return;
    // Subscriptions whose host already has a full round waiting behind the sends: claim no
    // more of them for now (a host with a free slot is never left out, or every completion
    // would scan the whole backlog for nothing).
    const claimedPerHost = new Map<string, number>();
    for (const { host } of this.inFlight.values()) claimedPerHost.set(host, (claimedPerHost.get(host) ?? 0) + 1);
    const busy = [...this.inFlight.values()]
      .filter(({ host, webhookId }) => webhookId && claimedPerHost.get(host)! >= 2 * this.env.WEBHOOK_HOST_CONCURRENCY)
      .map(({ webhookId }) => webhookId);
    try {
      const claimed = await this.sql.query<ClaimedDelivery>(DELIVERY_SQL.claim, [
        free,
        [...new Set(busy)],
        this.leaseSeconds,
      ]);
      for (const delivery of claimed) this.start(delivery);
      if (claimed.length === free) this.tickAgain = true; // more may be due
    } catch (error) {
      this.logger.warn(`claiming webhook deliveries failed: ${(error as Error).message}`);
    }
  }

  private start(delivery: ClaimedDelivery): void {
    let url: URL;
    try {
      url = new URL(delivery.url);
    } catch {
      void this.record(delivery, { error: 'the target URL is not valid' }, 0, true);
      return;
    }
    this.inFlight.set(delivery.id, { host: url.host, webhookId: delivery.webhook_id });
    const queue = this.waiting.get(url.host) ?? [];
    queue.push({ delivery, url });
    this.waiting.set(url.host, queue);
    this.drain(url.host);
  }

  /** Starts the host's waiting deliveries while it has free connections. */
  private drain(host: string): void {
    const queue = this.waiting.get(host);
    while (queue?.length && (this.perHost.get(host) ?? 0) < this.env.WEBHOOK_HOST_CONCURRENCY) {
      const { delivery, url } = queue.shift()!;
      this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
      const done = this.send(delivery, url).finally(() => {
        this.perHost.set(host, (this.perHost.get(host) ?? 1) - 1);
        this.inFlight.delete(delivery.id);
        this.drain(host);
        this.wake();
      });
      this.inFlight.get(delivery.id)!.done = done;
    }
    if (queue?.length === 0) this.waiting.delete(host);
  }

  private async send(delivery: ClaimedDelivery, url: URL): Promise<void> {
    if (delivery.event_missing) {
      await this.record(delivery, { error: 'the event is no longer retained' }, 0, true);
      return;
    }
    const started = performance.now();
    let result: AttemptResult;
    try {
      const body = eventBody({ ...delivery, id: delivery.event_id });
      const headers = signatureHeaders(String(delivery.event_id), new Date(), body, this.secretsOf(delivery));
      result = await this.poster.post(url, body, { ...headers }, this.abort.signal);
    } catch (error) {
      result = { error: (error as Error).message };
    }
    if (this.stopping && result.status === undefined) {
      await this.release(delivery);
      return;
    }
    await this.record(delivery, result, (performance.now() - started) / 1000);
  }

  private secretsOf(delivery: ClaimedDelivery): string[] {
    if (!delivery.webhook_id) return this.env.WEBHOOK_CALLBACK_SECRET ? [this.env.WEBHOOK_CALLBACK_SECRET] : [];
    const stored = [delivery.secret, delivery.previous_secret].filter((secret): secret is string => Boolean(secret));
    return stored.map((secret) => this.targets.secrets.open(secret));
  }

  private async record(delivery: ClaimedDelivery, result: AttemptResult, seconds: number, final = false) {
    const status = result.status ?? null;
    const succeeded = !result.error && status !== null && status >= 200 && status < 300;
    const error = result.error ?? (succeeded ? null : `the target answered ${status}`);
    let outcome: AttemptOutcome;
    try {
      if (succeeded) {
        outcome = 'succeeded';
        const [row] = await this.sql.query<{ created_at: string }>(DELIVERY_SQL.succeeded, [
          delivery.id,
          delivery.attempts,
          status,
          result.body ?? null,
        ]);
        if (row) this.metrics.deliveryLag.observe((Date.now() - Date.parse(delivery.created_at)) / 1000);
      } else if (status === 410 && delivery.webhook_id) {
        outcome = 'gone';
        await this.sql.query(DELIVERY_SQL.gone, [delivery.id, delivery.attempts, result.body ?? null]);
        this.logger.warn(`webhook ${delivery.webhook_id} disabled: its target answered 410 Gone`);
      } else {
        const delayMs = final ? null : nextRetryDelayMs(delivery.attempts, this.scheduleMs);
        outcome = delayMs === null ? 'failed' : 'retrying';
        await this.sql.query(DELIVERY_SQL.attemptFailed, [
          delivery.id,
          delivery.attempts,
          status,
          result.body ?? null,
          delayMs === null ? null : delayMs / 1000,
          error?.slice(0, 500) ?? null,
        ]);
      }
    } catch (failure) {
      // The claim's lease runs out and the delivery is sent again: at least once.
      this.logger.warn(`recording webhook delivery ${delivery.id} failed: ${(failure as Error).message}`);
      return;
    }
    this.metrics.attempts.inc({ outcome, target: delivery.webhook_id ? 'webhook' : 'callback' });
    if (!final) this.metrics.attemptDuration.observe({ outcome }, seconds);
  }

  private async release(delivery: ClaimedDelivery): Promise<void> {
    await this.sql.query(DELIVERY_SQL.release, [delivery.id, delivery.attempts]).catch(() => undefined);
  }
}
