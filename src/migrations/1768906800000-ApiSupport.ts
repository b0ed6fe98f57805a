import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the HTTP contract needs beyond the design document, under names of its own: worker
 * leases and claim ownership, idempotency keys, and the indexes behind keyset pagination,
 * claiming and lease expiry. The document's columns are left untouched.
 */
export class ApiSupport1768906800000 implements MigrationInterface {
  name = 'ApiSupport1768906800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE jobs
        ADD COLUMN priority INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 3,
        ADD COLUMN worker_id VARCHAR(255),
        ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE,
        ADD COLUMN idempotency_key VARCHAR(255),
        ADD CONSTRAINT chk_jobs_priority CHECK (priority BETWEEN -100 AND 100),
        ADD CONSTRAINT chk_jobs_max_attempts CHECK (max_attempts BETWEEN 1 AND 20),
        ADD CONSTRAINT chk_jobs_attempts CHECK (attempts >= 0)`);

    // Keyset pagination: newest first on (created_at, id), alone and under each filter.
    await queryRunner.query(`CREATE INDEX idx_jobs_keyset ON jobs (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_jobs_type_keyset ON jobs (job_type, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_jobs_status_keyset ON jobs (status, created_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX idx_jobs_type_status_keyset ON jobs (job_type, status, created_at DESC, id DESC)`,
    );
    // Claim order (highest priority, then oldest) over pending jobs only.
    await queryRunner.query(
      `CREATE INDEX idx_jobs_claim ON jobs (priority DESC, created_at, id) WHERE status = 'pending'`,
    );
    // The lease sweep looks only at leased jobs in processing.
    await queryRunner.query(
      `CREATE INDEX idx_jobs_lease_expiry ON jobs (lease_expires_at) WHERE status = 'processing' AND lease_expires_at IS NOT NULL`,
    );
    // Uniqueness makes concurrent repeats of one Idempotency-Key create a single job.
    await queryRunner.query(
      `CREATE UNIQUE INDEX idx_jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );

    // Children are listed oldest first within their job.
    await queryRunner.query(`CREATE INDEX idx_media_assets_job_keyset ON media_assets (job_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX idx_transcriptions_job_keyset ON transcriptions (job_id, created_at, id)`);
    await queryRunner.query(
      `CREATE INDEX idx_analysis_results_job_keyset ON analysis_results (job_id, created_at, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'idx_analysis_results_job_keyset',
      'idx_transcriptions_job_keyset',
      'idx_media_assets_job_keyset',
      'idx_jobs_idempotency_key',
      'idx_jobs_lease_expiry',
      'idx_jobs_claim',
      'idx_jobs_type_status_keyset',
      'idx_jobs_status_keyset',
      'idx_jobs_type_keyset',
      'idx_jobs_keyset',
    ]) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
    await queryRunner.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT chk_jobs_attempts,
        DROP CONSTRAINT chk_jobs_max_attempts,
        DROP CONSTRAINT chk_jobs_priority,
        DROP COLUMN idempotency_key,
        DROP COLUMN lease_expires_at,
        DROP COLUMN worker_id,
        DROP COLUMN max_attempts,
        DROP COLUMN attempts,
        DROP COLUMN priority`);
  }
}
