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

/** A file produced or used while processing a job (table `media_assets`). */
@Entity({ name: 'media_assets' })
@Check('chk_media_assets_file_size_bytes', `"file_size_bytes" >= 0`)
@Index('idx_media_assets_job_keyset', { synchronize: false })
export class MediaAsset {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'media_assets_pkey' })
  id: string;

  @Index('idx_media_assets_job_id')
  @Column({ type: 'uuid' })
  job_id: string;

  @ManyToOne('Job', (job: Job) => job.assets, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_media_assets_job_id' })
  job: Relation<Job>;

  @Index('idx_media_assets_asset_type')
  @Column({ type: 'varchar', length: 50 })
  asset_type: string;

  @Column({ type: 'text' })
  file_path: string;

  @Column({ type: 'bigint', nullable: true })
  file_size_bytes: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  mime_type: string | null;

  @Column({ type: 'jsonb', nullable: true, default: () => "'{}'" })
  metadata: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz', nullable: true, default: () => 'now()' })
  created_at: Date;
}
