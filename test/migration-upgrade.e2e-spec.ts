import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/migrations';
import { createTestDatabase } from './utils/test-database';

const TABLES = ['jobs', 'media_assets', 'transcriptions', 'analysis_results'] as const;
const JOBS = 200;

/** Every row of every table as JSON, by table and id. */
async function rowsOf(client: Client): Promise<Record<string, Map<string, Record<string, unknown>>>> {
  const rows: Record<string, Map<string, Record<string, unknown>>> = {};
  for (const table of TABLES) {
    const { rows: found } = await client.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY id`,
    );
    rows[table] = new Map(found.map(({ row }) => [row.id as string, row]));
  }
  return rows;
}

async function migrate(url: string, migrations: typeof MIGRATIONS): Promise<string[]> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsTableName: 'typeorm_migrations' });
  await dataSource.initialize();
  try {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * An upgrade keeps every row: a database filled under the first migration, as the original
 * service left it (every status, NULLs, edge values), goes through every later migration with
 * each row and each of its values intact (new columns may only be added beside them).
 */
describe('migration upgrade from the first schema', () => {
  let client: Client;
  let before: Awaited<ReturnType<typeof rowsOf>>;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase({ empty: true });
    expect(await migrate(url, [MIGRATIONS[0]])).toEqual([MIGRATIONS[0].name]);
    client = new Client({ connectionString: url });
    await client.connect();
    // Under the first schema only: the columns it has, values it allows.
    await client.query(
      `INSERT INTO jobs (job_type, status, media_url, prompt, parameters, result, error, created_at, updated_at,
                         started_at, completed_at, processing_time_ms)
       SELECT (ARRAY['video','audio','document'])[1 + i % 3],
              (ARRAY['pending','processing','completed','failed'])[1 + i % 4],
              'https://cdn.example.com/old/' || i || '.bin',
              CASE WHEN i % 5 = 0 THEN NULL ELSE 'prompt ' || i || ' 🎬 ''quoted''' END,
              CASE WHEN i % 7 = 0 THEN NULL ELSE jsonb_build_object('i', i, 'nested', jsonb_build_object('a', jsonb_build_array(1, 'x', NULL))) END,
              CASE WHEN i % 4 = 2 THEN jsonb_build_object('ok', true, 'score', i / 3.0) END,
              CASE WHEN i % 4 = 3 THEN 'failed at step ' || i END,
              timestamptz '2025-01-01 00:00:00.123456+00' + i * interval '1 minute',
              timestamptz '2025-01-01 00:00:00.123456+00' + i * interval '1 minute',
              CASE WHEN i % 4 <> 0 THEN timestamptz '2025-01-01 00:00:01+00' + i * interval '1 minute' END,
              CASE WHEN i % 4 >= 2 THEN timestamptz '2025-01-01 00:00:02+00' + i * interval '1 minute' END,
              CASE WHEN i % 4 >= 2 THEN 1000 + i END
       FROM generate_series(1, ${JOBS}) AS i`,
    );
    await client.query(
      `INSERT INTO media_assets (job_id, asset_type, file_path, file_size_bytes, mime_type, metadata)
       SELECT id, 'frame', 's3://bucket/' || id || '.jpg', CASE WHEN id::text < '8' THEN 9007199254740991 END,
              'image/jpeg', '{"w": 1920}' FROM jobs`,
    );
    await client.query(
      `INSERT INTO transcriptions (job_id, provider, text_content, language, confidence_score, word_timestamps)
       SELECT id, 'deepgram', 'hello ' || id, 'en', 0.5, '[{"word":"hello","start":0,"end":0.5}]' FROM jobs
       WHERE job_type <> 'document'`,
    );
    await client.query(
      `INSERT INTO analysis_results (job_id, analysis_type, summary, detailed_analysis, confidence_score, model_used,
                                     input_tokens, output_tokens)
       SELECT id, job_type, 'summary', '{"k": [1,2,3]}', 1, 'gpt', 0, 2147483647 FROM jobs`,
    );
    before = await rowsOf(client);
  });
  afterAll(async () => {
    await client?.end();
  });

  it('applies every later migration to the filled database', async () => {
    expect(before.jobs.size).toBe(JOBS);
    expect(await migrate(url, MIGRATIONS)).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
  });

  it.each(TABLES)('keeps every row of %s with every value it had', async (table) => {
    const after = (await rowsOf(client))[table];
    expect([...after.keys()]).toEqual([...before[table].keys()]);
    for (const [id, row] of before[table]) expect(after.get(id)).toMatchObject(row);
  });

  it('gives the old jobs working values in the new columns (they can be listed, claimed and retried)', async () => {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM jobs WHERE attempts >= 0 AND max_attempts >= 1 AND priority IS NOT NULL`,
    );
    expect(rows[0].n).toBe(JOBS);
  });
});
