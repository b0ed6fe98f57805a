import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the NOTIFY trigger of migration JobEvents. PostgreSQL serializes the commits of all
 * transactions that NOTIFY with one database-wide lock held through the commit, so notifying
 * inside every writing transaction cut concurrent job creation to about a tenth here (pgbench,
 * 16 clients: 155–193 inserts/s with it, 1,333–1,448 without). The service now sends the
 * notification after its writes have committed, outside them (EventWakeupService), and readers
 * also look at the table now and then for writes made by other clients (plain SQL).
 */
export class JobEventsWakeAfterCommit1768910460000 implements MigrationInterface {
  name = 'JobEventsWakeAfterCommit1768910460000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_job_events_notify ON job_events`);
    await queryRunner.query(`DROP FUNCTION job_events_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION job_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('job_events', '');
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_job_events_notify AFTER INSERT ON job_events
      FOR EACH STATEMENT EXECUTE FUNCTION job_events_notify()`);
  }
}
