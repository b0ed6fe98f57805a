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
import { JOB_TYPES, type JobType } from '../jobs/job.entity';
import type { WebhookDelivery } from './webhook-delivery.entity';
import { EVENT_TYPES, sqlList, type EventType } from './webhook-types';

/** A webhook subscription (table `webhooks`): where matching job events are POSTed. */
@Entity({ name: 'webhooks' })
@Check(
  'chk_webhooks_event_types',
  `cardinality(event_types) > 0 AND event_types <@ ARRAY[${sqlList(EVENT_TYPES)}]::varchar[]`,
)
@Check('chk_webhooks_job_types', `cardinality(job_types) > 0 AND job_types <@ ARRAY[${sqlList(JOB_TYPES)}]::varchar[]`)
@Check('chk_webhooks_previous_secret', `(previous_secret IS NULL) = (previous_secret_expires_at IS NULL)`)
@Index('idx_webhooks_keyset', { synchronize: false })
export class Webhook {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhooks_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** NULL: every event type. */
  @Column({ type: 'varchar', length: 50, array: true, nullable: true })
  event_types: EventType[] | null;

  /** NULL: every job type. */
  @Column({ type: 'varchar', length: 50, array: true, nullable: true })
  job_types: JobType[] | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why the service disabled it (a 410 Gone), NULL when enabled or disabled by a client. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  disabled_reason: string | null;

  /** The signing secret, sealed when WEBHOOK_SECRETS_KEY is set (never answered after creation). */
  @Column({ type: 'text', select: false })
  secret: string;

  /** The secret before the last rotation, still signing until previous_secret_expires_at. */
  @Column({ type: 'text', nullable: true, select: false })
  previous_secret: string | null;

  @Column({ type: 'timestamptz', nullable: true, select: false })
  previous_secret_expires_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' })
  created_at: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updated_at: Date;

  @OneToMany('WebhookDelivery', (delivery: WebhookDelivery) => delivery.webhook)
  deliveries: Relation<WebhookDelivery[]>;
}
