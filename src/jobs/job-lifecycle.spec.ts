import { JOB_STATUSES } from './job.entity';
import { JOB_LIFECYCLE, lifecycleCondition, refusalMessage, type JobState } from './job-lifecycle';
import { JOB_SQL } from './job-sql';

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const state = (status: JobState['status'], worker_id: string | null = null, lease = false): JobState => ({
  status,
  worker_id,
  lease_expires_at: lease ? '2026-01-20T10:05:00.000Z' : null,
});

describe('JOB_LIFECYCLE', () => {
  it('names only statuses the entity knows', () => {
    for (const rule of Object.values(JOB_LIFECYCLE)) {
      for (const status of [...rule.from, ...rule.to]) expect(JOB_STATUSES).toContain(status);
    }
  });

  it('writes each rule as the SQL condition of its statement', () => {
    expect(lifecycleCondition('start')).toBe(`status = 'pending'`);
    expect(lifecycleCondition('fail', '$3')).toBe(
      `status IN ('pending', 'processing') AND ($3::varchar IS NULL OR (status = 'processing' AND worker_id = $3))`,
    );
    expect(lifecycleCondition('heartbeat', '$3')).toBe(
      `status = 'processing' AND lease_expires_at IS NOT NULL AND ($3::varchar IS NULL OR (status = 'processing' AND worker_id = $3))`,
    );
    // The partial indexes idx_jobs_claim and idx_jobs_lease_expiry match these predicates word for word.
    expect(JOB_SQL.claim.text).toContain(`WHERE status = 'pending' AND`);
    expect(JOB_SQL.recoverExpiredLeases.text).toContain(
      `WHERE status = 'processing' AND lease_expires_at IS NOT NULL AND lease_expires_at < now()`,
    );
    for (const action of ['start', 'retry'] as const) {
      expect(JOB_SQL[action].text).toContain(`WHERE id = $1 AND ${lifecycleCondition(action)}`);
    }
    for (const action of ['complete', 'fail', 'heartbeat'] as const) {
      expect(JOB_SQL[action].text).toContain(`WHERE id = $1 AND ${lifecycleCondition(action, '$3')}`);
    }
  });

  it('refuses to write a worker rule without its placeholder', () => {
    expect(() => lifecycleCondition('complete')).toThrow(/complete/);
  });
});

describe('refusalMessage', () => {
  it('says which state the action needs', () => {
    expect(refusalMessage('start', ID, state('completed'))).toBe(
      `Job ${ID} is completed: only a pending job can be started`,
    );
    expect(refusalMessage('complete', ID, state('pending'), 'w1')).toBe(
      `Job ${ID} is pending: only a processing job can be completed`,
    );
    expect(refusalMessage('fail', ID, state('failed'), 'w1')).toBe(
      `Job ${ID} is failed: only a pending or processing job can be failed`,
    );
    expect(refusalMessage('retry', ID, state('processing'))).toBe(
      `Job ${ID} is processing: only a failed job can be retried`,
    );
    expect(refusalMessage('heartbeat', ID, state('pending'))).toBe(
      `Job ${ID} is pending: only a processing job holding a lease can heartbeat`,
    );
  });

  it('names the worker when the job is not held by it', () => {
    for (const action of ['complete', 'fail', 'heartbeat'] as const) {
      expect(refusalMessage(action, ID, state('processing', 'w2', true), 'w1')).toBe(
        `Job ${ID} is not held by worker w1`,
      );
    }
    // A pending job can be failed by anyone, but not by a worker that claims to hold it.
    expect(refusalMessage('fail', ID, state('pending'), 'w1')).toBe(`Job ${ID} is not held by worker w1`);
  });

  it('explains a heartbeat on a job started without claim', () => {
    expect(refusalMessage('heartbeat', ID, state('processing'))).toBe(
      `Job ${ID} has no lease (it was started without claim)`,
    );
    expect(refusalMessage('heartbeat', ID, state('processing'), 'w1')).toBe(`Job ${ID} is not held by worker w1`);
  });
});
