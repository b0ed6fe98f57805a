/**
 * npm run bench:search: GET /api/search latency (p50/p95/p99, one request at a time) on
 * BENCH_SEARCH_ROWS transcriptions and as many analysis results (default 100,000 each), for
 * common, rare and phrase queries with and without filters, and the EXPLAIN (ANALYZE, BUFFERS)
 * plans of the service's own search statement (imported from src/, run as a prepared
 * statement), which must read both tables through their GIN indexes, never sequentially.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { searchesAnything, type SearchFilters } from '../src/search/search-scope';
import type { SearchCursor } from '../src/search/search-cursor';
import { fetchSearchPage, type RunStatement } from '../src/search/search-page';
import type { Statement } from '../src/database/sql.service';
import { writeResults } from './report';
import { config, startServer, stopServer, type Server } from './run';
import * as seed from './seed';
import { createSentencePool, dropSentencePool, seedSearchBatch } from './search-seed';

const ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 100);
const BATCH = 10_000;

type Query = SearchFilters & { limit?: number; page?: 2 };

const SCENARIOS: Record<string, Query> = {
  'two frequent words (worst case)': { q: 'project team' },
  'two words (typical)': { q: 'kx100 kx1000' },
  'two frequent + one typical word': { q: 'customer report kx300' },
  'rare word': { q: 'zeppelin' },
  phrase: { q: '"quarterly budget review"' },
  'web syntax: or, exclusion': { q: 'revenue or growth -market' },
  'two words, language=en': { q: 'kx100 kx1000', language: 'en' },
  'two words, kind=transcription, job_type=audio': { q: 'kx100 kx1000', kind: 'transcription', jobType: 'audio' },
  'two words, created_after (last 10 %)': { q: 'kx100 kx1000', createdAfter: createdAfter(0.9) },
  'frequent words, created_after (last 10 %)': { q: 'project team', createdAfter: createdAfter(0.9) },
  'stemmed Portuguese, language=pt-BR': { q: 'correndo projeto', language: 'pt-BR' },
  'two words, second page': { q: 'kx100 kx1000', page: 2 },
  'frequent words, second page': { q: 'project team', page: 2 },
};

/** The instant after which `share` of the seeded rows were created (jobs are 30 s apart from 2025-06-01). */
function createdAfter(share: number): string {
  return new Date(Date.UTC(2025, 5, 1) + Math.floor(ROWS * share) * 30_000).toISOString();
}

function queryString(query: Query, cursor?: string): string {
  const params = new URLSearchParams({ q: query.q, limit: String(query.limit ?? 20) });
  if (query.kind) params.set('kind', query.kind);
  if (query.jobType) params.set('job_type', query.jobType);
  if (query.language) params.set('language', query.language);
  if (query.provider) params.set('provider', query.provider);
  if (query.createdAfter) params.set('created_after', query.createdAfter);
  if (query.createdBefore) params.set('created_before', query.createdBefore);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

async function get(server: Server, query: string): Promise<{ items: unknown[]; next_cursor: string | null }> {
  const res = await fetch(`${server.url}/api/search?${query}`);
  if (res.status !== 200) throw new Error(`GET /api/search?${query}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { items: unknown[]; next_cursor: string | null };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** How many rows match the words alone (no filters), as the GIN index counts them. */
async function matchingRows(client: Client, q: string): Promise<{ transcriptions: number; analysis_results: number }> {
  const { rows } = await client.query(
    `SELECT (SELECT count(*) FROM transcriptions t WHERE t.search_vector @@ websearch_to_tsquery(text_search_config(t.language), $1)
               AND t.search_vector @@ (SELECT websearch_to_tsquery('simple', $1) || websearch_to_tsquery('english', $1)
                                       || websearch_to_tsquery('portuguese', $1) || websearch_to_tsquery('spanish', $1)
                                       || websearch_to_tsquery('german', $1) || websearch_to_tsquery('french', $1) OFFSET 0))::int AS transcriptions,
            (SELECT count(*) FROM analysis_results WHERE search_vector @@ websearch_to_tsquery('english', $1))::int AS analysis_results`,
    [q],
  );
  return rows[0];
}

async function measure(server: Server, query: Query) {
  const first = await get(server, queryString(query));
  const path = queryString(query, query.page === 2 ? (first.next_cursor ?? undefined) : undefined);
  for (let i = 0; i < 5; i++) await get(server, path);
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    hits = (await get(server, path)).items.length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { hits, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement, prepared and executed five times first. */
async function explainStatement(client: Client, built: { statement: Statement; values: unknown[] }): Promise<string> {
  const params = built.values.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(', ');
  await client.query(`PREPARE bench_search AS ${built.statement.text}`);
  try {
    for (let i = 0; i < 5; i++) await client.query(`EXECUTE bench_search(${params})`);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_search(${params})`);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('DEALLOCATE bench_search');
  }
}

/** The plans of the statements the service runs for the scenario: each probe of a first page, or a later page. */
async function explain(client: Client, query: Query): Promise<string> {
  const { limit = 20, page, ...filters } = query;
  if (!searchesAnything(filters)) return '(no statement: the filters exclude every kind)';
  const execute: RunStatement = async (built) => (await client.query(built.statement.text, built.values)).rows;
  let cursor: SearchCursor | undefined;
  if (page === 2) {
    const first = await fetchSearchPage(filters, undefined, limit, execute);
    const last = first.rows[limit - 1];
    if (first.window && last) cursor = { rank: last.rank_text, kind: last.kind, id: last.id, window: first.window };
  }
  const plans: string[] = [];
  await fetchSearchPage(filters, cursor, limit, async (built) => {
    plans.push(`${built.statement.name}:\n${await explainStatement(client, built)}`);
    return execute(built);
  });
  return plans.join('\n');
}

function verdict(query: Query, plan: string): string {
  const problems: string[] = [];
  if (/Seq Scan on (transcriptions|analysis_results|jobs)/.test(plan)) problems.push('sequential scan');
  const wantsTranscriptions = query.kind !== 'analysis_result';
  const wantsAnalyses = query.kind !== 'transcription' && !query.language && !query.provider;
  // Each table is read through its GIN index, or, when a filter is narrower than the words
  // (a recent created_after), through that filter's index: either way, never in full.
  const reads = (table: string) => new RegExp(`Index Scan (using|on) idx_${table}_\\w+`).test(plan);
  if (wantsTranscriptions && !reads('transcriptions')) problems.push('transcriptions not read by index');
  if (wantsAnalyses && !reads('analysis_results')) problems.push('analysis_results not read by index');
  const gin = ['transcriptions', 'analysis_results'].filter((table) => plan.includes(`idx_${table}_search`));
  return problems.length === 0
    ? `ok: index scans (GIN on ${gin.join(', ') || 'none'}), no sequential scan`
    : `NOT OK: ${problems.join(', ')}`;
}

/** Bulk load: ROWS jobs with their transcription and analysis result. */
async function seedSearch(client: Client): Promise<void> {
  // The migration's search and filter indexes are dropped and rebuilt afterwards with their
  // own definitions (a GIN index built at once is many times cheaper than kept up row by row);
  // the rows still go through the real triggers.
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE indexname IN ('idx_transcriptions_search', 'idx_analysis_results_search', 'idx_transcriptions_language',
                         'idx_transcriptions_created_at', 'idx_analysis_results_created_at')`,
  );
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  await createSentencePool(client);
  for (let from = 1; from <= ROWS; from += BATCH) {
    await seedSearchBatch(client, from, Math.min(ROWS, from + BATCH - 1));
    process.stdout.write(`\rseeded ${Math.min(ROWS, from + BATCH - 1)} jobs`);
  }
  await dropSentencePool(client);
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const index of indexes) await client.query(index.definition);
  await client.query('VACUUM ANALYZE jobs, transcriptions, analysis_results');
}

async function main(): Promise<void> {
  // BENCH_SEARCH_DB: a database an earlier run kept (BENCH_KEEP_DB=1), measured again without seeding.
  const reused = process.env.BENCH_SEARCH_DB;
  const dbName = reused ?? `bench_search_${randomBytes(4).toString('hex')}`;
  const dbUrl = reused
    ? Object.assign(new URL(config.adminUrl), { pathname: `/${reused}` }).toString()
    : await seed.createDatabase(config.adminUrl, dbName);
  console.log(`database ${dbName} on ${new URL(config.adminUrl).host}`);
  let server: Server | undefined;
  // jit=off as on the service's own connections, so that the plans shown are the ones it runs.
  const client = new Client({ connectionString: dbUrl, application_name: 'bench-search', options: '-c jit=off' });
  try {
    server = await startServer('service', dbUrl); // applies the migrations at boot
    await client.connect();
    let t = Date.now();
    if (!reused) await seedSearch(client);
    const { rows } = await client.query(`SELECT
        (SELECT count(*) FROM transcriptions) AS transcriptions, (SELECT count(*) FROM analysis_results) AS analyses,
        (SELECT round(avg(length(text_content))) FROM transcriptions) AS avg_chars,
        (SELECT count(*) FROM transcriptions WHERE word_timestamps IS NOT NULL) AS timed,
        pg_size_pretty(pg_total_relation_size('transcriptions')) AS transcriptions_size,
        pg_size_pretty(pg_relation_size('idx_transcriptions_search')) AS gin_size`);
    console.log(`\nseed: ${JSON.stringify(rows[0])} in ${Date.now() - t} ms`);

    const results: Record<string, unknown> = {};
    const lines: string[] = [];
    for (const [name, query] of Object.entries(SCENARIOS)) {
      t = Date.now();
      const timing = await measure(server, query);
      const matching = await matchingRows(client, query.q);
      const plan = await explain(client, query);
      const check = verdict(query, plan);
      results[name] = { query, matching, ...timing, plan, check };
      console.log(`\n--- ${name}: ${queryString(query)}\n${plan}`);
      lines.push(
        `${name.padEnd(48)} ${String(matching.transcriptions).padStart(6)} ${String(matching.analysis_results).padStart(6)} ${timing.p50.toFixed(1).padStart(8)} ${timing.p95
          .toFixed(1)
          .padStart(8)} ${timing.p99.toFixed(1).padStart(8)}  ${check}`,
      );
    }
    const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2));
    console.log(
      `\n${ROWS} transcriptions + ${ROWS} analysis results, ${REQUESTS} sequential requests each, load ${load}`,
    );
    console.log(`matching: rows whose words match (transcriptions, analysis results), before filters`);
    console.log(`${'scenario'.padEnd(48)} match:t match:a  p50 ms   p95 ms   p99 ms  plan`);
    for (const line of lines) console.log(line);
    console.log(
      `\nresults: ${writeResults('search-', { date: new Date().toISOString(), rows: ROWS, requests: REQUESTS, load, results })}`,
    );
  } finally {
    await client.end().catch(() => undefined);
    if (server) await stopServer(server).catch(() => undefined);
    if (config.keepDb || reused) console.log(`kept database: ${dbUrl}`);
    else await seed.dropDatabase(config.adminUrl, dbName);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
