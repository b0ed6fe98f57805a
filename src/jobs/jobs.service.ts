import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../common/errors';
import { keysetStatement } from '../common/keyset';
import { isoMillis } from '../common/timestamps';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage, type Page } from '../common/pagination';
import { SqlService } from '../database/sql.service';
import { MetricsService } from '../metrics/metrics.service';
import type { JobDetailResponseDto } from './dto/job-detail-response.dto';
import type { JobResponseDto } from './dto/job-response.dto';
import type { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { DEFAULT_LEASE_SECONDS, refusalMessage, type JobState, type RefusableAction } from './job-lifecycle';
import { JOB_COLUMNS, JOB_SQL } from './job-sql';
import { JOB_DEFAULTS, type JobStatus, type JobType } from './job.entity';
import { WebhookTargets } from '../webhooks/webhook-targets';

export interface NewJob {
  job_type: JobType;
  media_url: string;
  prompt?: string | null;
  parameters?: Record<string, unknown> | null;
  priority?: number;
  max_attempts?: number;
  /** Where job.completed / job.failed are delivered (checked like a webhook URL). */
  callback_url?: string | null;
}

export interface CreatedJob {
  job: JobResponseDto;
  /** False when an Idempotency-Key repeat returned the job created earlier. */
  created: boolean;
}

export type StatusChange =
  | { status: 'completed'; result?: Record<string, unknown> | null; worker_id?: string | null }
  | { status: 'failed'; error: string; worker_id?: string | null }
  | { status: 'pending' };

/** What a heartbeat may carry; progress left out (or null) stays as it was. */
export interface Heartbeat {
  leaseSeconds?: number | null;
  workerId?: string | null;
  progress?: number | null;
  progressMessage?: string | null;
}

/**
 * Jobs: create (with Idempotency-Key), read, list, delete, and the lifecycle (start, complete,
 * fail, retry, claim, heartbeat, lease recovery). A service rather than a repository, unlike
 * the child tables': besides its SQL (job-sql.ts, one statement per write) it owns rules, the
 * idempotency comparison, the 409 explanations from JOB_LIFECYCLE and the job metrics. It covers
 * the design document's JobRepository (get by status is the status filter of list).
 */
@Injectable()
export class JobsService {
  constructor(
    private readonly sql: SqlService,
    private readonly metrics: MetricsService,
    private readonly targets: WebhookTargets,
  ) {}

  async create(input: NewJob, idempotencyKey?: string): Promise<CreatedJob> {
    if (input.callback_url != null) await this.targets.assertAllowed('callback_url', input.callback_url);
    const values = [
      input.job_type,
      input.media_url,
      input.prompt ?? null,
      JSON.stringify(input.parameters ?? {}),
      input.priority ?? JOB_DEFAULTS.priority,
      input.max_attempts ?? JOB_DEFAULTS.max_attempts,
      input.callback_url ?? null,
    ];
    if (idempotencyKey === undefined) {
      const [job] = await this.sql.query<JobResponseDto>(JOB_SQL.insert, values);
      return { job, created: true };
    }
    const [inserted] = await this.sql.query<JobResponseDto>(JOB_SQL.insertWithIdempotencyKey, [
      ...values,
      idempotencyKey,
    ]);
    if (inserted) return { job: inserted, created: true };
    // The key was taken (possibly by a concurrent repeat, whose insert we waited for).
    const [existing] = await this.sql.query<JobResponseDto & { same_request: boolean }>(JOB_SQL.findByIdempotencyKey, [
      idempotencyKey,
      ...values,
    ]);
    if (!existing) return this.create(input, idempotencyKey); // deleted in between: create anew
    const { same_request: sameRequest, ...job } = existing;
    if (!sameRequest) {
      throw new ConflictError('Idempotency-Key was already used with a different request');
    }
    return { job, created: false };
  }

  /** The job with its assets, transcriptions and analysis results, in one query. */
  async getDetail(id: string, jobType?: JobType): Promise<JobDetailResponseDto> {
    const [row] = await this.sql.query<JobDetailResponseDto>(JOB_SQL.findDetail, [id, jobType ?? null]);
    if (!row) throw new NotFoundError(jobType ? `${jobType} job` : 'Job', id);
    // json_agg renders timestamps as text with microseconds and the session's offset; answers
    // use ISO 8601 in UTC with milliseconds, as every Date of the answer is written.
    for (const children of [row.assets, row.transcriptions, row.analysis_results]) {
      for (const child of children as { created_at: unknown }[])
        child.created_at = isoMillis(child.created_at as string);
    }
    return row;
  }

  async list(query: ListJobsQueryDto, jobType?: JobType): Promise<Page<JobResponseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { statement, values } = keysetStatement('jobs', JOB_COLUMNS, {
      equals: [
        ['job_type', jobType ?? query.job_type],
        ['status', query.status],
      ],
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit,
      order: 'desc',
    });
    return toPage(await this.sql.query<JobResponseDto & { cursor_at: string }>(statement, values), limit);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.sql.query(JOB_SQL.delete, [id]);
    if (deleted.length === 0) throw new NotFoundError('Job', id);
  }

  /** pending → processing without a lease (for callers that do not use claim). */
  async startProcessing(id: string): Promise<JobResponseDto> {
    return this.transition('start', JOB_SQL.start, [id], id);
  }

  /** completed (from processing), failed (from pending or processing) or pending again (retry of a failed job). */
  async updateStatus(id: string, change: StatusChange): Promise<JobResponseDto> {
    switch (change.status) {
      case 'completed': {
        // No result is SQL NULL, not the jsonb value null.
        const result = change.result == null ? null : JSON.stringify(change.result);
        return this.transition(
          'complete',
          JOB_SQL.complete,
          [id, result, change.worker_id ?? null],
          id,
          change.worker_id,
        );
      }
      case 'failed':
        return this.transition(
          'fail',
          JOB_SQL.fail,
          [id, change.error, change.worker_id ?? null],
          id,
          change.worker_id,
        );
      case 'pending':
        return this.transition('retry', JOB_SQL.retry, [id], id);
    }
  }

  async heartbeat(id: string, beat: Heartbeat = {}): Promise<JobResponseDto> {
    // `?? default`, not a parameter default: a JSON null would otherwise set the lease to NULL.
    return this.transition(
      'heartbeat',
      JOB_SQL.heartbeat,
      [
        id,
        beat.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
        beat.workerId ?? null,
        beat.progress ?? null,
        beat.progressMessage ?? null,
      ],
      id,
      beat.workerId,
    );
  }

  /** Hands the next pending job to exactly one caller, or undefined when none waits. */
  async claim(options: {
    jobTypes?: JobType[] | null;
    workerId?: string | null;
    leaseSeconds?: number | null;
  }): Promise<JobResponseDto | undefined> {
    const [job] = await this.sql.query<JobResponseDto>(JOB_SQL.claim, [
      options.jobTypes ?? null,
      options.workerId ?? null,
      options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    ]);
    this.metrics.claims.inc({ outcome: job ? 'claimed' : 'empty' });
    return job;
  }

  /** Returns expired leases to pending (or fails them); the ids and new statuses it changed. */
  async recoverExpiredLeases(batchSize = 100): Promise<{ id: string; status: JobStatus }[]> {
    const recovered = await this.sql.query<{ id: string; status: JobStatus }>(JOB_SQL.recoverExpiredLeases, [
      batchSize,
    ]);
    for (const job of recovered) this.metrics.transitions.inc({ status: job.status, cause: 'lease_expired' });
    return recovered;
  }

  private async transition(
    action: RefusableAction,
    statement: (typeof JOB_SQL)[keyof typeof JOB_SQL],
    values: unknown[],
    id: string,
    workerId?: string | null,
  ): Promise<JobResponseDto> {
    const [job] = await this.sql.query<JobResponseDto>(statement, values);
    if (job) {
      if (action !== 'heartbeat') this.metrics.transitions.inc({ status: job.status, cause: action });
      return job;
    }
    // Nothing matched: say why, from the lifecycle table (a second query only on this failure path).
    const [state] = await this.sql.query<JobState>(JOB_SQL.findState, [id]);
    if (!state) throw new NotFoundError('Job', id);
    throw new ConflictError(refusalMessage(action, id, state, workerId));
  }
}
