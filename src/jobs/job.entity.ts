import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { AnalysisResult } from '../analysis-results/analysis-result.entity';
import type { MediaAsset } from '../media-assets/media-asset.entity';
import type { Transcription } from '../transcriptions/transcription.entity';

export const JOB_TYPES = ['video', 'audio', 'document'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What a create request leaves out gets these (the columns' defaults; the create DTO documents them). */
export const JOB_DEFAULTS = { priority: 0, max_attempts: 3 } as const;

/** A media analysis request and its lifecycle (table `jobs`, as the design document defines it). */
@Entity({ name: 'jobs' })
@Check('chk_jobs_job_type', `"job_type" IN ('video', 'audio', 'document')`)
@Check('chk_jobs_status', `"status" IN ('pending', 'processing', 'completed', 'failed')`)
@Check('chk_jobs_priority', `"priority" BETWEEN -100 AND 100`)
@Check('chk_jobs_max_attempts', `"max_attempts" BETWEEN 1 AND 20`)
@Check('chk_jobs_attempts', `"attempts" >= 0`)
@Check('chk_jobs_progress', `"progress" BETWEEN 0 AND 100`)
// Keyset, claim and lease indexes use DESC or partial predicates TypeORM cannot compare: the
// migrations own them and the drift check leaves them alone.
@Index('idx_jobs_created_at', { synchronize: false })
@Index('idx_jobs_keyset', { synchronize: false })
@Index('idx_jobs_type_keyset', { synchronize: false })
@Index('idx_jobs_status_keyset', { synchronize: false })
@Index('idx_jobs_type_status_keyset', { synchronize: false })
@Index('idx_jobs_claim', { synchronize: false })
@Index('idx_jobs_lease_expiry', { synchronize: false })
@Index('idx_jobs_idempotency_key', { synchronize: false })
@Index('idx_jobs_finished', { synchronize: false })
@Index('idx_jobs_type_status', { synchronize: false })
export class Job {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'jobs_pkey' })
  id: string;

  @Index('idx_jobs_job_type')
  @Column({ type: 'varchar', length: 50 })
  job_type: JobType;

  @Index('idx_jobs_status')
  @Column({ type: 'varchar', length: 50, default: 'pending' })
  status: JobStatus;

  @Column({ type: 'text' })
  media_url: string;

  @Column({ type: 'text', nullable: true })
  prompt: string | null;

  @Column({ type: 'jsonb', nullable: true, default: () => "'{}'" })
  parameters: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  created_at: Date;

  // Moved by the trg_jobs_updated_at trigger on every UPDATE, whoever issues it.
  @Column({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  updated_at: Date;

  @Column({ type: 'timestamptz', nullable: true })
  started_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completed_at: Date | null;

  @Column({ type: 'integer', nullable: true })
  processing_time_ms: number | null;

  @Column({ type: 'integer', default: JOB_DEFAULTS.priority })
  priority: number;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: JOB_DEFAULTS.max_attempts })
  max_attempts: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  worker_id: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lease_expires_at: Date | null;

  /** Worker-reported progress in percent (heartbeat); cleared by claim, start and retry. */
  @Column({ type: 'double precision', nullable: true })
  progress: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  progress_message: string | null;

  /** Client-supplied `Idempotency-Key` of the create request; not part of the API response. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  idempotency_key: string | null;

  /** Per-job callback target (a secret, e.g. an n8n resume URL): write-only, answers say has_callback. */
  @Column({ type: 'text', nullable: true, select: false })
  callback_url: string | null;

  @OneToMany('MediaAsset', (asset: MediaAsset) => asset.job)
  assets: Relation<MediaAsset[]>;

  @OneToMany('Transcription', (transcription: Transcription) => transcription.job)
  transcriptions: Relation<Transcription[]>;

  @OneToMany('AnalysisResult', (analysis: AnalysisResult) => analysis.job)
  analysis_results: Relation<AnalysisResult[]>;
}
