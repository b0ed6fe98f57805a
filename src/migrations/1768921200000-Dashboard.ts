import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /api/stats counts completions and failures of the last hour and 5 minutes. completed_at
 * had no index, so that count read every finished job; this partial index holds only finished
 * jobs by completed_at, with the columns the count groups by, so the window is an index range.
 */
export class Dashboard1768921200000 implements MigrationInterface {
  name = 'Dashboard1768921200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX idx_jobs_finished ON jobs (completed_at) INCLUDE (job_type, status) WHERE status IN ('completed', 'failed')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_jobs_finished`);
  }
}
