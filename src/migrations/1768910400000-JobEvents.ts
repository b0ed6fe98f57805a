import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job events (API.md "Job events"), written by triggers so that every change writes its event
 * in the same transaction and statement, whoever makes it (API, lease sweeper, bulk actions,
 * plain SQL). Readers order by (tx_id, id) and hand out only rows whose writing transaction is
 * below their snapshot's xmin, so a reader resuming after an event never misses a later commit.
 * Also the worker progress columns of jobs, whose changes are events too.
 */
export class JobEvents1768910400000 implements MigrationInterface {
  name = 'JobEvents1768910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE jobs
        ADD COLUMN progress DOUBLE PRECISION,
        ADD COLUMN progress_message VARCHAR(500),
        ADD CONSTRAINT chk_jobs_progress CHECK (progress BETWEEN 0 AND 100)`);

    // No foreign key to jobs: a job's events outlive it (job.deleted is one of them).
    await queryRunner.query(`
      CREATE TABLE job_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY,
        tx_id BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
        type VARCHAR(50) NOT NULL,
        job_id UUID NOT NULL,
        job_type VARCHAR(50) NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        data JSONB,
        CONSTRAINT job_events_pkey PRIMARY KEY (id),
        CONSTRAINT chk_job_events_type CHECK (type IN ('job.created', 'job.started', 'job.progress',
          'job.completed', 'job.failed', 'job.requeued', 'job.retried', 'job.deleted',
          'asset.created', 'transcription.created', 'analysis_result.created'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_job_events_order ON job_events (tx_id, id)`);
    await queryRunner.query(`CREATE INDEX idx_job_events_job ON job_events (job_id, tx_id, id)`);
    await queryRunner.query(`CREATE INDEX idx_job_events_created_at ON job_events (created_at)`);

    // The one place that says which change of a job is which event (NULL: no event).
    await queryRunner.query(`
      CREATE FUNCTION job_event_type(operation text, old_status varchar, new_status varchar, progress_changed boolean)
      RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN operation = 'INSERT' THEN 'job.created'
          WHEN operation = 'DELETE' THEN 'job.deleted'
          WHEN operation <> 'UPDATE' THEN NULL
          WHEN old_status = 'pending' AND new_status = 'processing' THEN 'job.started'
          WHEN new_status = 'completed' AND old_status <> 'completed' THEN 'job.completed'
          WHEN new_status = 'failed' AND old_status <> 'failed' THEN 'job.failed'
          WHEN old_status = 'processing' AND new_status = 'pending' THEN 'job.requeued'
          WHEN old_status = 'failed' AND new_status = 'pending' THEN 'job.retried'
          WHEN old_status = new_status AND progress_changed THEN 'job.progress'
        END
      $$`);

    // The job as its answer shows it: internal columns left out, has_callback instead of the
    // (secret) callback URL. Columns added later come along by themselves.
    await queryRunner.query(`
      CREATE FUNCTION job_events_from_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event_type varchar := job_event_type(TG_OP, OLD.status, NEW.status,
          OLD.progress IS DISTINCT FROM NEW.progress OR OLD.progress_message IS DISTINCT FROM NEW.progress_message);
        job jsonb;
      BEGIN
        IF event_type IS NULL THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          INSERT INTO job_events (type, job_id, job_type, data) VALUES (event_type, OLD.id, OLD.job_type, NULL);
        ELSE
          job := to_jsonb(NEW);
          job := job - 'idempotency_key' - 'callback_url'
            || jsonb_build_object('has_callback', job->>'callback_url' IS NOT NULL);
          INSERT INTO job_events (type, job_id, job_type, data) VALUES (event_type, NEW.id, NEW.job_type, job);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_jobs_events AFTER INSERT OR UPDATE OR DELETE ON jobs
      FOR EACH ROW EXECUTE FUNCTION job_events_from_jobs()`);

    // A child added: its event type is the trigger's argument, its job_type its job's.
    await queryRunner.query(`
      CREATE FUNCTION job_events_from_children() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO job_events (type, job_id, job_type, data)
        SELECT TG_ARGV[0], NEW.job_id, jobs.job_type, to_jsonb(NEW) - 'search_vector'
        FROM jobs WHERE jobs.id = NEW.job_id;
        RETURN NULL;
      END
      $$`);
    for (const [table, type] of CHILD_EVENTS) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_events AFTER INSERT ON ${table}
        FOR EACH ROW EXECUTE FUNCTION job_events_from_children('${type}')`);
    }

    // Wakes LISTENing readers; delivered at commit, identical notifications of one
    // transaction folded into one by PostgreSQL.
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_job_events_notify ON job_events`);
    await queryRunner.query(`DROP FUNCTION job_events_notify()`);
    for (const [table] of CHILD_EVENTS) await queryRunner.query(`DROP TRIGGER trg_${table}_events ON ${table}`);
    await queryRunner.query(`DROP FUNCTION job_events_from_children()`);
    await queryRunner.query(`DROP TRIGGER trg_jobs_events ON jobs`);
    await queryRunner.query(`DROP FUNCTION job_events_from_jobs()`);
    await queryRunner.query(`DROP FUNCTION job_event_type(text, varchar, varchar, boolean)`);
    await queryRunner.query(`DROP TABLE job_events`);
    await queryRunner.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT chk_jobs_progress,
        DROP COLUMN progress_message,
        DROP COLUMN progress`);
  }
}

const CHILD_EVENTS = [
  ['media_assets', 'asset.created'],
  ['transcriptions', 'transcription.created'],
  ['analysis_results', 'analysis_result.created'],
] as const;
