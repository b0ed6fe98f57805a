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

/** A transcript of a job's media from one provider (table `transcriptions`). */
@Entity({ name: 'transcriptions' })
@Check('chk_transcriptions_confidence_score', `"confidence_score" BETWEEN 0 AND 1`)
@Index('idx_transcriptions_job_keyset', { synchronize: false })
@Index('idx_transcriptions_search', { synchronize: false })
export class Transcription {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'transcriptions_pkey' })
  id: string;

  @Index('idx_transcriptions_job_id')
  @Column({ type: 'uuid' })
  job_id: string;

  @ManyToOne('Job', (job: Job) => job.transcriptions, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_transcriptions_job_id' })
  job: Relation<Job>;

  @Index('idx_transcriptions_provider')
  @Column({ type: 'varchar', length: 50 })
  provider: string;

  @Column({ type: 'text' })
  text_content: string;

  @Index('idx_transcriptions_language')
  @Column({ type: 'varchar', length: 10, nullable: true })
  language: string | null;

  @Column({ type: 'double precision', nullable: true })
  confidence_score: number | null;

  @Column({ type: 'jsonb', nullable: true })
  word_timestamps: unknown[] | Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true, default: () => "'{}'" })
  metadata: Record<string, unknown> | null;

  @Index('idx_transcriptions_created_at')
  @CreateDateColumn({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  created_at: Date;

  /**
   * Full-text vector of the text, stemmed by `language`; written by a database trigger
   * (migration Search), never by the application, and never part of an answer.
   */
  @Column({ type: 'tsvector', select: false, insert: false, update: false })
  search_vector: string;
}
