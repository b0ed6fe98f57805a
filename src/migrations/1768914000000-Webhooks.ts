import type { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_TYPES } from '../jobs/job.entity';
import { CALLBACK_EVENT_TYPES, DELIVERY_STATUSES, EVENT_TYPES, sqlList } from '../webhooks/webhook-types';

/**
 * Webhook subscriptions and their deliveries, and the per-job callback URL. Deliveries have no
 * foreign key to jobs or events (a job's callback still goes out after the job is deleted);
 * deleting a subscription deletes its deliveries, which is what stops them.
 */
export class Webhooks1768914000000 implements MigrationInterface {
  name = 'Webhooks1768914000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE jobs ADD COLUMN callback_url TEXT`);
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        url VARCHAR(2048) NOT NULL,
        description VARCHAR(500),
        event_types VARCHAR(50)[],
        job_types VARCHAR(50)[],
        enabled BOOLEAN NOT NULL DEFAULT true,
        disabled_reason VARCHAR(200),
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at TIMESTAMP WITH TIME ZONE,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT webhooks_pkey PRIMARY KEY (id),
        CONSTRAINT chk_webhooks_event_types
          CHECK (cardinality(event_types) > 0 AND event_types <@ ARRAY[${sqlList(EVENT_TYPES)}]::varchar[]),
        CONSTRAINT chk_webhooks_job_types
          CHECK (cardinality(job_types) > 0 AND job_types <@ ARRAY[${sqlList(JOB_TYPES)}]::varchar[]),
        CONSTRAINT chk_webhooks_previous_secret
          CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_webhooks_keyset ON webhooks (created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        webhook_id UUID,
        callback_url TEXT,
        event_id BIGINT NOT NULL,
        event_tx_id BIGINT NOT NULL,
        event_type VARCHAR(50) NOT NULL,
        job_id UUID NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        lease_expires_at TIMESTAMP WITH TIME ZONE,
        last_attempt_at TIMESTAMP WITH TIME ZONE,
        response_status INTEGER,
        response_body VARCHAR(1024),
        last_error VARCHAR(500),
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        completed_at TIMESTAMP WITH TIME ZONE,
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id),
        CONSTRAINT fk_webhook_deliveries_webhook_id
          FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE,
        CONSTRAINT chk_webhook_deliveries_status CHECK (status IN (${sqlList(DELIVERY_STATUSES)})),
        CONSTRAINT chk_webhook_deliveries_target CHECK ((webhook_id IS NULL) <> (callback_url IS NULL)),
        CONSTRAINT chk_webhook_deliveries_attempts CHECK (attempts >= 0)
      )`);
    // What the senders claim: pending deliveries by due time.
    await queryRunner.query(
      `CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    // Whether an earlier delivery of the same job (and target) is still pending.
    await queryRunner.query(
      `CREATE INDEX idx_webhook_deliveries_sequence ON webhook_deliveries (job_id, event_tx_id, event_id) WHERE status = 'pending'`,
    );
    // A subscription's deliveries, newest first; also serves the cascade from webhooks.
    await queryRunner.query(
      `CREATE INDEX idx_webhook_deliveries_webhook_keyset ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`,
    );

    // Deliveries are written with their event, in its transaction, whoever wrote the event: one
    // per matching enabled subscription, and one to the job's callback_url when it finished.
    // Statement-level with a transition table, so a bulk change matches subscriptions once.
    await queryRunner.query(`
      CREATE FUNCTION webhook_deliveries_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_deliveries (webhook_id, event_id, event_tx_id, event_type, job_id)
        SELECT w.id, e.id, e.tx_id, e.type, e.job_id
        FROM new_events e
        JOIN webhooks w ON w.enabled
          AND (w.event_types IS NULL OR e.type = ANY (w.event_types))
          AND (w.job_types IS NULL OR e.job_type = ANY (w.job_types));
        INSERT INTO webhook_deliveries (callback_url, event_id, event_tx_id, event_type, job_id)
        SELECT j.callback_url, e.id, e.tx_id, e.type, e.job_id
        FROM new_events e JOIN jobs j ON j.id = e.job_id
        WHERE e.type IN (${sqlList(CALLBACK_EVENT_TYPES)}) AND j.callback_url IS NOT NULL;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_job_events_webhooks AFTER INSERT ON job_events
      REFERENCING NEW TABLE AS new_events
      FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_from_events()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_job_events_webhooks ON job_events`);
    await queryRunner.query(`DROP FUNCTION webhook_deliveries_from_events()`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhooks`);
    await queryRunner.query(`ALTER TABLE jobs DROP COLUMN callback_url`);
  }
}
