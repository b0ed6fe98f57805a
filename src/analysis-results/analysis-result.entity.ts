import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { Job } from '../jobs/job.entity';

/** An LLM analysis of a job's media (table `analysis_results`). */
@Entity({ name: 'analysis_results' })
@Check('chk_analysis_results_confidence_score', `"confidence_score" BETWEEN 0 AND 1`)
@Check('chk_analysis_results_input_tokens', `"input_tokens" >= 0`)
@Check('chk_analysis_results_output_tokens', `"output_tokens" >= 0`)
@Index('idx_analysis_results_job_keyset', { synchronize: false })
@Index('idx_analysis_results_search', { synchronize: false })
export class AnalysisResult {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'analysis_results_pkey' })
  id: string;

  @Index('idx_analysis_results_job_id')
  @Column({ type: 'uuid' })
  job_id: string;

  @ManyToOne('Job', (job: Job) => job.analysis_results, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_analysis_results_job_id' })
  job: Relation<Job>;

  @Index('idx_analysis_results_type')
  @Column({ type: 'varchar', length: 50 })
  analysis_type: string;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detailed_analysis: Record<string, unknown> | null;

  @Column({ type: 'double precision', nullable: true })
  confidence_score: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model_used: string | null;

  @Column({ type: 'text', nullable: true })
  prompt_used: string | null;

  @Column({ type: 'integer', nullable: true })
  input_tokens: number | null;

  @Column({ type: 'integer', nullable: true })
  output_tokens: number | null;

  @Index('idx_analysis_results_created_at')
  @CreateDateColumn({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  created_at: Date;

  /**
   * Full-text vector of the summary and detailed_analysis strings (English); written by a
   * database trigger (migration Search), never by the application, and never part of an answer.
   */
  @Column({ type: 'tsvector', select: false, insert: false, update: false })
  search_vector: string;
}
