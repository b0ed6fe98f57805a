import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/database/entities';
import { MIGRATIONS } from '../src/migrations';
import { createTestDatabase } from './utils/test-database';

/** The schema SCHEMA.md requires, read back from the catalog after the real migrations. */
const EXPECTED_COLUMNS: Record<
  string,
  [name: string, type: string, nullable: 'YES' | 'NO', defaultValue: string | null][]
> = {
  jobs: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['job_type', 'character varying(50)', 'NO', null],
    ['status', 'character varying(50)', 'NO', "'pending'::character varying"],
    ['media_url', 'text', 'NO', null],
    ['prompt', 'text', 'YES', null],
    ['parameters', 'jsonb', 'YES', "'{}'::jsonb"],
    ['result', 'jsonb', 'YES', null],
    ['error', 'text', 'YES', null],
    ['created_at', 'timestamp with time zone', 'YES', 'now()'],
    ['updated_at', 'timestamp with time zone', 'YES', 'now()'],
    ['started_at', 'timestamp with time zone', 'YES', null],
    ['completed_at', 'timestamp with time zone', 'YES', null],
    ['processing_time_ms', 'integer', 'YES', null],
  ],
  media_assets: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['job_id', 'uuid', 'NO', null],
    ['asset_type', 'character varying(50)', 'NO', null],
    ['file_path', 'text', 'NO', null],
    ['file_size_bytes', 'bigint', 'YES', null],
    ['mime_type', 'character varying(100)', 'YES', null],
    ['metadata', 'jsonb', 'YES', "'{}'::jsonb"],
    ['created_at', 'timestamp with time zone', 'YES', 'now()'],
  ],
  transcriptions: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['job_id', 'uuid', 'NO', null],
    ['provider', 'character varying(50)', 'NO', null],
    ['text_content', 'text', 'NO', null],
    ['language', 'character varying(10)', 'YES', null],
    ['confidence_score', 'double precision', 'YES', null],
    ['word_timestamps', 'jsonb', 'YES', null],
    ['metadata', 'jsonb', 'YES', "'{}'::jsonb"],
    ['created_at', 'timestamp with time zone', 'YES', 'now()'],
  ],
  analysis_results: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['job_id', 'uuid', 'NO', null],
    ['analysis_type', 'character varying(50)', 'NO', null],
    ['summary', 'text', 'YES', null],
    ['detailed_analysis', 'jsonb', 'YES', null],
    ['confidence_score', 'double precision', 'YES', null],
    ['model_used', 'character varying(100)', 'YES', null],
    ['prompt_used', 'text', 'YES', null],
    ['input_tokens', 'integer', 'YES', null],
    ['output_tokens', 'integer', 'YES', null],
    ['created_at', 'timestamp with time zone', 'YES', 'now()'],
  ],
  // Not the document's: the API's event log (migration JobEvents).
  job_events: [
    ['id', 'bigint', 'NO', null],
    ['tx_id', 'bigint', 'NO', '((pg_current_xact_id())::text)::bigint'],
    ['type', 'character varying(50)', 'NO', null],
    ['job_id', 'uuid', 'NO', null],
    ['job_type', 'character varying(50)', 'NO', null],
    ['created_at', 'timestamp with time zone', 'NO', 'now()'],
    ['data', 'jsonb', 'YES', null],
  ],
  // Not the document's: webhook subscriptions and their deliveries (migration Webhooks).
  webhooks: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['url', 'character varying(2048)', 'NO', null],
    ['event_types', 'character varying(50)[]', 'YES', null],
    ['job_types', 'character varying(50)[]', 'YES', null],
    ['enabled', 'boolean', 'NO', 'true'],
    ['secret', 'text', 'NO', null],
    ['created_at', 'timestamp with time zone', 'NO', 'now()'],
  ],
  webhook_deliveries: [
    ['id', 'uuid', 'NO', 'gen_random_uuid()'],
    ['webhook_id', 'uuid', 'YES', null],
    ['callback_url', 'text', 'YES', null],
    ['event_id', 'bigint', 'NO', null],
    ['event_tx_id', 'bigint', 'NO', null],
    ['job_id', 'uuid', 'NO', null],
    ['status', 'character varying(20)', 'NO', "'pending'::character varying"],
    ['next_attempt_at', 'timestamp with time zone', 'NO', 'now()'],
  ],
};

const DOCUMENT_INDEXES: Record<string, string> = {
  idx_jobs_status: 'jobs USING btree (status)',
  idx_jobs_created_at: 'jobs USING btree (created_at DESC)',
  idx_jobs_job_type: 'jobs USING btree (job_type)',
  idx_media_assets_job_id: 'media_assets USING btree (job_id)',
  idx_media_assets_asset_type: 'media_assets USING btree (asset_type)',
  idx_transcriptions_job_id: 'transcriptions USING btree (job_id)',
  idx_transcriptions_provider: 'transcriptions USING btree (provider)',
  idx_analysis_results_job_id: 'analysis_results USING btree (job_id)',
  idx_analysis_results_type: 'analysis_results USING btree (analysis_type)',
};

describe('migrations (on an empty database)', () => {
  let dataSource: DataSource;
  const query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => dataSource.query<T[]>(sql, params);
  const userTables = async () =>
    (
      await query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY 1`,
      )
    ).map((row) => row.table_name);

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'postgres',
      url: await createTestDatabase({ empty: true }),
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsTableName: 'typeorm_migrations',
    });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(() => dataSource.destroy());

  it("creates the four tables of the design document and the API's job_events, webhooks and webhook_deliveries", async () => {
    expect(await userTables()).toEqual([
      'analysis_results',
      'job_events',
      'jobs',
      'media_assets',
      'transcriptions',
      'webhook_deliveries',
      'webhooks',
    ]);
  });

  it.each(Object.keys(EXPECTED_COLUMNS))(
    'gives %s the document columns with their types, nullability and defaults',
    async (table) => {
      const rows = await query<{
        column_name: string;
        type: string;
        is_nullable: 'YES' | 'NO';
        column_default: string | null;
      }>(
        `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
              CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable, pg_get_expr(d.adbin, d.adrelid) AS column_default
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [table],
      );
      const actual = new Map(
        rows.map((row) => [row.column_name, [row.column_name, row.type, row.is_nullable, row.column_default]]),
      );
      for (const expected of EXPECTED_COLUMNS[table]) expect(actual.get(expected[0])).toEqual(expected);
    },
  );

  it('creates the nine named indexes of the document exactly', async () => {
    const rows = await query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const defs = new Map(rows.map((row) => [row.indexname, row.indexdef]));
    for (const [name, definition] of Object.entries(DOCUMENT_INDEXES)) {
      expect(defs.get(name)).toBe(`CREATE INDEX ${name} ON public.${definition}`);
    }
  });

  it('adds the API indexes: keyset, partial claim, lease expiry, unique idempotency key', async () => {
    const rows = await query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'jobs'`,
    );
    const defs = new Map(rows.map((row) => [row.indexname, row.indexdef]));
    expect(defs.get('idx_jobs_keyset')).toContain('(created_at DESC, id DESC)');
    expect(defs.get('idx_jobs_claim')).toMatch(
      /\(priority DESC, created_at, id\) WHERE \(\(status\)::text = 'pending'::text\)/,
    );
    expect(defs.get('idx_jobs_lease_expiry')).toContain('WHERE');
    expect(defs.get('idx_jobs_idempotency_key')).toMatch(/^CREATE UNIQUE INDEX/);
  });

  it('cascades deletes from jobs to the three child tables through foreign keys', async () => {
    const rows = await query<{ child: string; deltype: string }>(
      `SELECT conrelid::regclass::text AS child, confdeltype AS deltype FROM pg_constraint
       WHERE contype = 'f' AND confrelid = 'jobs'::regclass ORDER BY 1`,
    );
    expect(rows).toEqual([
      { child: 'analysis_results', deltype: 'c' },
      { child: 'media_assets', deltype: 'c' },
      { child: 'transcriptions', deltype: 'c' },
    ]);
  });

  it('enforces the CHECK constraints', async () => {
    const job = (sql: string) =>
      query(
        `INSERT INTO jobs (job_type, media_url${sql ? ', status' : ''}) VALUES ($1, 'https://x'${sql ? ', $2' : ''})`,
        sql ? ['video', sql] : ['podcast'],
      );
    await expect(job('')).rejects.toMatchObject({ driverError: { code: '23514' } });
    await expect(job('archived')).rejects.toMatchObject({ driverError: { code: '23514' } });
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO jobs (job_type, media_url) VALUES ('audio', 'https://x') RETURNING id`,
    );
    await expect(
      query(
        `INSERT INTO transcriptions (job_id, provider, text_content, confidence_score) VALUES ($1, 'groq', 't', 1.5)`,
        [id],
      ),
    ).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
    await expect(
      query(`INSERT INTO analysis_results (job_id, analysis_type, input_tokens) VALUES ($1, 'audio', -1)`, [id]),
    ).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
    await expect(
      query(`INSERT INTO media_assets (job_id, asset_type, file_path, file_size_bytes) VALUES ($1, 'frame', 'f', -1)`, [
        id,
      ]),
    ).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
    await expect(query(`INSERT INTO media_assets (asset_type, file_path) VALUES ('frame', 'f')`)).rejects.toMatchObject(
      { driverError: { code: '23502' } },
    );
  });

  it('keeps search vectors by trigger, stemmed by language, with GIN indexes (migration Search)', async () => {
    const configs = await query<{ config: string }>(
      `SELECT text_search_config(tag)::text AS config FROM unnest(ARRAY['en', 'en-US', 'PT-br', 'de', 'xx', NULL]) AS tag`,
    );
    expect(configs.map((row) => row.config)).toEqual([
      'english',
      'english',
      'portuguese',
      'german',
      'simple',
      'simple',
    ]);
    const [{ id: jobId }] = await query<{ id: string }>(
      `INSERT INTO jobs (job_type, media_url) VALUES ('audio', 'https://x') RETURNING id`,
    );
    const [row] = await query<{ id: string; found: boolean }>(
      `INSERT INTO transcriptions (job_id, provider, text_content, language) VALUES ($1, 'groq', 'Ela correu pela cidade <b>bonita</b>', 'pt-BR')
       RETURNING id, search_vector @@ to_tsquery('portuguese', 'correr & bonitas') AS found`,
      [jobId],
    );
    expect(row.found).toBe(true);
    // A plain SQL update, even one writing the vector itself, leaves it matching the text.
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[updated]] = (await dataSource.query(
      `UPDATE transcriptions SET text_content = 'running late', language = 'en', search_vector = 'bogus'
       WHERE id = $1 RETURNING search_vector::text AS vector`,
      [row.id],
    )) as [{ vector: string }[], number];
    expect(updated.vector).toBe(`'late':2 'run':1`);
    const [analysis] = await query<{ vector: string }>(
      `INSERT INTO analysis_results (job_id, analysis_type, summary, detailed_analysis)
       VALUES ($1, 'audio', 'Budgets', '{"topics": ["hiring"], "score": 3}') RETURNING search_vector::text AS vector`,
      [jobId],
    );
    expect(analysis.vector).toBe(`'budget':1 'hire':2`);
    const indexes = await query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('idx_transcriptions_search', 'idx_analysis_results_search') ORDER BY 1`,
    );
    expect(indexes.map((index) => index.indexdef)).toEqual([
      'CREATE INDEX idx_analysis_results_search ON public.analysis_results USING gin (search_vector)',
      'CREATE INDEX idx_transcriptions_search ON public.transcriptions USING gin (search_vector)',
    ]);
  });

  it('moves updated_at on every UPDATE, even from plain SQL', async () => {
    const [job] = await query<{ id: string; updated_at: Date }>(
      `INSERT INTO jobs (job_type, media_url, created_at, updated_at) VALUES ('document', 'https://x', now() - interval '1 hour', now() - interval '1 hour') RETURNING id, updated_at`,
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [[after]] = (await dataSource.query(`UPDATE jobs SET prompt = 'p' WHERE id = $1 RETURNING updated_at`, [
      job.id,
    ])) as [{ updated_at: Date }[], number];
    expect(after.updated_at.getTime() - job.updated_at.getTime()).toBeGreaterThan(59 * 60 * 1000);
  });

  it('reverts every migration to an empty schema and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await userTables()).toEqual([]);
    expect(
      await query(
        `SELECT proname FROM pg_proc WHERE proname IN ('set_updated_at', 'job_event_type', 'job_events_notify', 'webhook_deliveries_from_events')`,
      ),
    ).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await userTables()).toEqual([
      'analysis_results',
      'job_events',
      'jobs',
      'media_assets',
      'transcriptions',
      'webhook_deliveries',
      'webhooks',
    ]);
  });
});
