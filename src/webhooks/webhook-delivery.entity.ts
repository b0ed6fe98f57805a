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
import type { Webhook } from './webhook.entity';
import { DELIVERY_STATUSES, sqlList, type DeliveryStatus } from './webhook-types';

/**
 * One event to send to one target (table `webhook_deliveries`), written by a trigger in the
 * event's transaction: to a subscription (webhook_id), or to a job's callback_url. No foreign
 * key to the job or the event: a job's deliveries still go out after it is deleted.
 */
@Entity({ name: 'webhook_deliveries' })
@Check('chk_webhook_deliveries_status', `status IN (${sqlList(DELIVERY_STATUSES)})`)
@Check('chk_webhook_deliveries_target', `(webhook_id IS NULL) <> (callback_url IS NULL)`)
@Check('chk_webhook_deliveries_attempts', `attempts >= 0`)
// Partial and DESC indexes TypeORM cannot compare: the migration owns them.
@Index('idx_webhook_deliveries_due', { synchronize: false })
@Index('idx_webhook_deliveries_sequence', { synchronize: false })
@Index('idx_webhook_deliveries_webhook_keyset', { synchronize: false })
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  webhook_id: string | null;

  // Deleting a subscription stops its deliveries: they go with it.
  @ManyToOne('Webhook', (webhook: Webhook) => webhook.deliveries, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'fk_webhook_deliveries_webhook_id' })
  webhook: Relation<Webhook> | null;

  /** A per-job callback's target (a secret: never answered). */
  @Column({ type: 'text', nullable: true, select: false })
  callback_url: string | null;

  @Column({ type: 'bigint' })
  event_id: number;

  /** The event's transaction (job_events.tx_id): deliveries of a job go out in (tx, id) order. */
  @Column({ type: 'bigint' })
  event_tx_id: number;

  @Column({ type: 'varchar', length: 50 })
  event_type: string;

  @Column({ type: 'uuid' })
  job_id: string;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: DeliveryStatus;

  /** Attempts made so far (also the fencing token of the current claim). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  next_attempt_at: Date;

  /** While set and in the future, an instance is sending it. */
  @Column({ type: 'timestamptz', nullable: true })
  lease_expires_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_attempt_at: Date | null;

  @Column({ type: 'integer', nullable: true })
  response_status: number | null;

  /** The first KiB of the last response body. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  response_body: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  last_error: string | null;

  @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' })
  created_at: Date;

  /** When it succeeded or finally failed. */
  @Column({ type: 'timestamptz', nullable: true })
  completed_at: Date | null;
}
