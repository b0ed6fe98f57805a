import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schema of the design document (database-models-prd.md, "Database Models") with the
 * amendments of SCHEMA.md: NOT NULL job_id, CHECK constraints and the updated_at trigger.
 */
export class InitialSchema1768903200000 implements MigrationInterface {
  name = 'InitialSchema1768903200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE jobs (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        job_type VARCHAR(50) NOT NULL,
        status VARCHAR(50) NOT NULL DEFAULT 'pending',
        media_url TEXT NOT NULL,
        prompt TEXT,
        parameters JSONB DEFAULT '{}',
        result JSONB,
        error TEXT,
        created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
        updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
        started_at TIMESTAMP WITH TIME ZONE,
        completed_at TIMESTAMP WITH TIME ZONE,
        processing_time_ms INTEGER,
        CONSTRAINT jobs_pkey PRIMARY KEY (id),
        CONSTRAINT chk_jobs_job_type CHECK (job_type IN ('video', 'audio', 'document')),
        CONSTRAINT chk_jobs_status CHECK (status IN ('pending', 'processing', 'completed', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_jobs_status ON jobs (status)`);
    await queryRunner.query(`CREATE INDEX idx_jobs_created_at ON jobs (created_at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_jobs_job_type ON jobs (job_type)`);

    await queryRunner.query(`
      CREATE TABLE media_assets (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        job_id UUID NOT NULL,
        asset_type VARCHAR(50) NOT NULL,
        file_path TEXT NOT NULL,
        file_size_bytes BIGINT,
        mime_type VARCHAR(100),
        metadata JSONB DEFAULT '{}',
        created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
        CONSTRAINT media_assets_pkey PRIMARY KEY (id),
        CONSTRAINT fk_media_assets_job_id FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT chk_media_assets_file_size_bytes CHECK (file_size_bytes >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_media_assets_job_id ON media_assets (job_id)`);
    await queryRunner.query(`CREATE INDEX idx_media_assets_asset_type ON media_assets (asset_type)`);

    await queryRunner.query(`
      CREATE TABLE transcriptions (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        job_id UUID NOT NULL,
        provider VARCHAR(50) NOT NULL,
        text_content TEXT NOT NULL,
        language VARCHAR(10),
        confidence_score DOUBLE PRECISION,
        word_timestamps JSONB,
        metadata JSONB DEFAULT '{}',
        created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
        CONSTRAINT transcriptions_pkey PRIMARY KEY (id),
        CONSTRAINT fk_transcriptions_job_id FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT chk_transcriptions_confidence_score CHECK (confidence_score BETWEEN 0 AND 1)
      )`);
    await queryRunner.query(`CREATE INDEX idx_transcriptions_job_id ON transcriptions (job_id)`);
    await queryRunner.query(`CREATE INDEX idx_transcriptions_provider ON transcriptions (provider)`);

    await queryRunner.query(`
      CREATE TABLE analysis_results (
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        job_id UUID NOT NULL,
        analysis_type VARCHAR(50) NOT NULL,
        summary TEXT,
        detailed_analysis JSONB,
        confidence_score DOUBLE PRECISION,
        model_used VARCHAR(100),
        prompt_used TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
        CONSTRAINT analysis_results_pkey PRIMARY KEY (id),
        CONSTRAINT fk_analysis_results_job_id FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT chk_analysis_results_confidence_score CHECK (confidence_score BETWEEN 0 AND 1),
        CONSTRAINT chk_analysis_results_input_tokens CHECK (input_tokens >= 0),
        CONSTRAINT chk_analysis_results_output_tokens CHECK (output_tokens >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_analysis_results_job_id ON analysis_results (job_id)`);
    await queryRunner.query(`CREATE INDEX idx_analysis_results_type ON analysis_results (analysis_type)`);

    // updated_at moves on every UPDATE, whoever issues it (API, worker or plain SQL).
    await queryRunner.query(`
      CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := now();
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_jobs_updated_at BEFORE UPDATE ON jobs
      FOR EACH ROW EXECUTE FUNCTION set_updated_at()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE analysis_results`);
    await queryRunner.query(`DROP TABLE transcriptions`);
    await queryRunner.query(`DROP TABLE media_assets`);
    await queryRunner.query(`DROP TABLE jobs`);
    await queryRunner.query(`DROP FUNCTION set_updated_at()`);
  }
}
