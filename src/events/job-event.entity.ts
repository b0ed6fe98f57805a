import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const JOB_EVENT_TYPES = [
  'job.created',
  'job.started',
  'job.progress',
  'job.completed',
  'job.failed',
  'job.requeued',
  'job.retried',
  'job.deleted',
  'asset.created',
  'transcription.created',
  'analysis_result.created',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/**
 * One change of a job or one child added (table `job_events`). Rows are written only by the
 * triggers of migration JobEvents, in the transaction of the change; there is no foreign key to
 * jobs because a job's events outlive it.
 */
@Entity({ name: 'job_events' })
@Check('chk_job_events_type', `"type" IN (${JOB_EVENT_TYPES.map((type) => `'${type}'`).join(', ')})`)
// TypeORM 1.1 reads a multi-column index back in table-column order, not the index's, and so
// would rebuild these forever: the migration owns them and the drift check leaves them alone.
@Index('idx_job_events_order', { synchronize: false })
@Index('idx_job_events_job', { synchronize: false })
export class JobEvent {
  /** The public event id: unique and positive, not in commit order (readers order by tx_id, id). */
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'job_events_pkey',
  })
  id: number;

  /**
   * The writing transaction (xid8): below the readers' snapshot xmin it has finished. The
   * migration's default is `pg_current_xact_id()::text::bigint`; TypeORM strips `::type` casts
   * when it reads a default back, so the entity states it cast-free for the drift check.
   */
  // Internal (select: false): readers order by it, answers never show it.
  @Column({ type: 'bigint', default: () => '((pg_current_xact_id()))', select: false })
  tx_id: number;

  @Column({ type: 'varchar', length: 50 })
  type: JobEventType;

  @Column({ type: 'uuid' })
  job_id: string;

  @Column({ type: 'varchar', length: 50 })
  job_type: string;

  @Index('idx_job_events_created_at')
  @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' })
  created_at: Date;

  /** The job or child as JSON (timestamps in PostgreSQL's form); NULL for job.deleted. */
  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;
}
