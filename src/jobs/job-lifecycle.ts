import type { JobStatus } from './job.entity';

/**
 * A job's lifecycle, one row per action: the states it may start from, the state it leads to,
 * whether a worker_id given with it must hold the job, whether the job must hold a lease, and
 * what a refused request is told. The SQL conditions of job-sql.ts and the 409 messages of
 * JobsService are read from here; adding a status is an edit to this table, the entity's CHECK
 * and a migration.
 */
export interface LifecycleRule {
  /** States the action may start from. */
  from: readonly JobStatus[];
  /** The state it leads to (lease expiry: pending, or failed once max_attempts is spent). */
  to: readonly JobStatus[];
  /**
   * With a worker_id given, the job must be processing under that worker; without one the
   * action is allowed to anyone (the API's callers that do not use claim).
   */
  workerMustHold: boolean;
  /** The job must hold a lease (it was claimed, not started with /start). */
  leaseRequired: boolean;
  /** What the 409 says after "Job <id> is <status>: ". Empty for actions no request names. */
  refused: string;
}

export const JOB_LIFECYCLE = {
  /** pending → processing without a lease (POST /api/jobs/{id}/start). */
  start: {
    from: ['pending'],
    to: ['processing'],
    workerMustHold: false,
    leaseRequired: false,
    refused: 'only a pending job can be started',
  },
  /** The next pending job → processing under a lease (POST /api/jobs/claim; none waiting is a 204). */
  claim: { from: ['pending'], to: ['processing'], workerMustHold: false, leaseRequired: false, refused: '' },
  complete: {
    from: ['processing'],
    to: ['completed'],
    workerMustHold: true,
    leaseRequired: false,
    refused: 'only a processing job can be completed',
  },
  fail: {
    from: ['pending', 'processing'],
    to: ['failed'],
    workerMustHold: true,
    leaseRequired: false,
    refused: 'only a pending or processing job can be failed',
  },
  /** failed → pending, clearing the outcome and the attempt count. */
  retry: {
    from: ['failed'],
    to: ['pending'],
    workerMustHold: false,
    leaseRequired: false,
    refused: 'only a failed job can be retried',
  },
  /** Extends the lease; the status does not change. */
  heartbeat: {
    from: ['processing'],
    to: ['processing'],
    workerMustHold: true,
    leaseRequired: true,
    refused: 'only a processing job holding a lease can heartbeat',
  },
  /** The lease sweeper: an expired lease → pending again, or failed once max_attempts is spent. */
  leaseExpiry: {
    from: ['processing'],
    to: ['pending', 'failed'],
    workerMustHold: false,
    leaseRequired: true,
    refused: '',
  },
} as const satisfies Record<string, LifecycleRule>;

/** Lease length of a claim or heartbeat that names none. */
export const DEFAULT_LEASE_SECONDS = 300;

export type LifecycleAction = keyof typeof JOB_LIFECYCLE;
/** The actions a request names by job id, and which can therefore be refused with a 409. */
export type RefusableAction = 'start' | 'complete' | 'fail' | 'retry' | 'heartbeat';

/** `status = 'a'` or `status IN ('a', 'b')`, prefixed with `alias.` when given. */
export function statusIn(statuses: readonly JobStatus[], alias = ''): string {
  const column = `${alias}status`;
  const quoted = statuses.map((status) => `'${status}'`);
  return quoted.length === 1 ? `${column} = ${quoted[0]}` : `${column} IN (${quoted.join(', ')})`;
}

/**
 * The SQL condition an action's UPDATE adds to `id = $1`: the rule itself, so that two racing
 * callers cannot both pass it and a refused transition changes nothing. `workerParam` is the
 * placeholder of the optional worker_id (NULL: anyone).
 */
export function lifecycleCondition(action: LifecycleAction, workerParam?: string): string {
  const rule: LifecycleRule = JOB_LIFECYCLE[action];
  const conditions = [statusIn(rule.from)];
  if (rule.leaseRequired) conditions.push('lease_expires_at IS NOT NULL');
  if (rule.workerMustHold) {
    if (!workerParam) throw new Error(`lifecycle action ${action} needs the worker_id placeholder`);
    conditions.push(`(${workerParam}::varchar IS NULL OR (status = 'processing' AND worker_id = ${workerParam}))`);
  }
  return conditions.join(' AND ');
}

/** What the refusing UPDATE left behind, read again to explain the refusal. */
export interface JobState {
  status: JobStatus;
  worker_id: string | null;
  lease_expires_at: Date | string | null;
}

/** The 409 message of a refused action, from the job's current state. */
export function refusalMessage(action: RefusableAction, id: string, state: JobState, workerId?: string | null): string {
  const rule: LifecycleRule = JOB_LIFECYCLE[action];
  const allowedState = rule.from.includes(state.status);
  if (rule.workerMustHold && workerId && allowedState) {
    if (state.status !== 'processing' || state.worker_id !== workerId) {
      return `Job ${id} is not held by worker ${workerId}`;
    }
  }
  if (rule.leaseRequired && allowedState && state.lease_expires_at === null) {
    return `Job ${id} has no lease (it was started without claim)`;
  }
  return `Job ${id} is ${state.status}: ${rule.refused}`;
}
