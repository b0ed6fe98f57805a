/**
 * The practical floor: node:http + pg, hand-written SQL, named prepared statements, no
 * framework. Answers the bench scenarios with the same JSON as the service (create a job, get a
 * job with its children, list a page, claim and complete) and checks what the contract requires
 * of those requests, by hand, so that the comparison is fair: unknown fields and query
 * parameters, types, ranges, lengths, URLs and NUL characters answer 400.
 *
 *   DATABASE_URL=postgresql://… PORT=3001 DB_POOL_MAX=30 node -r ts-node/register/transpile-only bench/baseline-server.ts
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, types } from 'pg';

types.setTypeParser(types.builtins.INT8, (value) => Number(value));

const COLUMNS = `id, job_type, status, media_url, prompt, parameters, result, error, created_at, updated_at, started_at,
  completed_at, processing_time_ms, priority, attempts, max_attempts, worker_id, lease_expires_at, progress, progress_message,
  (callback_url IS NOT NULL) AS has_callback`;
const CURSOR_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

const SQL = {
  insert: {
    name: 'insert',
    text: `INSERT INTO jobs (job_type, media_url, prompt, parameters, priority, max_attempts)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING ${COLUMNS}`,
  },
  detail: {
    name: 'detail',
    text: `SELECT ${COLUMNS},
             COALESCE((SELECT json_agg(a ORDER BY a.created_at, a.id) FROM media_assets a WHERE a.job_id = jobs.id), '[]') AS assets,
             COALESCE((SELECT json_agg(t ORDER BY t.created_at, t.id) FROM (
               SELECT id, job_id, provider, text_content, language, confidence_score, word_timestamps, metadata, created_at
               FROM transcriptions WHERE job_id = jobs.id) t), '[]') AS transcriptions,
             COALESCE((SELECT json_agg(r ORDER BY r.created_at, r.id) FROM (
               SELECT id, job_id, analysis_type, summary, detailed_analysis, confidence_score, model_used, prompt_used,
                      input_tokens, output_tokens, created_at
               FROM analysis_results WHERE job_id = jobs.id) r), '[]') AS analysis_results
           FROM jobs WHERE id = $1`,
  },
  pageByStatus: {
    name: 'pageByStatus',
    text: `SELECT ${COLUMNS}, ${CURSOR_AT} FROM jobs WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
  },
  pageByStatusAfter: {
    name: 'pageByStatusAfter',
    text: `SELECT ${COLUMNS}, ${CURSOR_AT} FROM jobs WHERE status = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid)
           ORDER BY created_at DESC, id DESC LIMIT $4`,
  },
  claim: {
    name: 'claim',
    text: `UPDATE jobs SET status = 'processing', started_at = now(), attempts = attempts + 1, worker_id = $1,
             lease_expires_at = now() + make_interval(secs => $2), progress = NULL, progress_message = NULL
           WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND ($3::varchar[] IS NULL OR job_type = ANY($3))
                       ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING ${COLUMNS}`,
  },
  complete: {
    name: 'complete',
    text: `UPDATE jobs SET status = 'completed', result = $2::jsonb, completed_at = now(),
             processing_time_ms = round(extract(epoch FROM (now() - started_at)) * 1000)::integer, lease_expires_at = NULL
           WHERE id = $1 AND status = 'processing' AND ($3::varchar IS NULL OR worker_id = $3)
           RETURNING ${COLUMNS}`,
  },
};

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 30) });
const JOB_TYPES = new Set(['video', 'audio', 'document']);
const STATUSES = new Set(['pending', 'processing', 'completed', 'failed']);
const MEDIA_URL = /^(https?|s3):\/\/[^\s/?#]+[^\s]*$/i;

/** The first problem with a request body, named by field, or undefined when it is valid. */
type Rule = (value: unknown) => boolean;
const isString =
  (max: number): Rule =>
  (v) =>
    typeof v === 'string' && [...v].length <= max && !v.includes('\u0000');
const isInt =
  (min: number, max: number): Rule =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isObject: Rule = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const CREATE_RULES: Record<string, Rule> = {
  media_url: (v) => typeof v === 'string' && v.length <= 2048 && MEDIA_URL.test(v),
  prompt: isString(20_000),
  parameters: isObject,
  priority: isInt(-100, 100),
  max_attempts: isInt(1, 20),
};
const CLAIM_RULES: Record<string, Rule> = {
  job_types: (v) => Array.isArray(v) && v.length > 0 && v.every((t) => JOB_TYPES.has(t as string)),
  worker_id: isString(255),
  lease_seconds: isInt(10, 86_400),
};
const COMPLETE_RULES: Record<string, Rule> = { result: isObject, worker_id: isString(255) };

function invalidField(
  body: Record<string, unknown>,
  rules: Record<string, Rule>,
  required: string[] = [],
): string | undefined {
  if (!isObject(body)) return 'body';
  for (const key of Object.keys(body)) if (!(key in rules)) return key;
  for (const key of required) if (body[key] == null) return key;
  for (const [key, rule] of Object.entries(rules)) if (body[key] != null && !rule(body[key])) return key;
  return undefined;
}

function badRequest(res: ServerResponse, field: string): void {
  send(res, 400, { statusCode: 400, error: 'Bad Request', message: [`${field} is invalid`] });
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** The JSON body; 415 when it is not JSON, 413 over 1 MiB, 400 when malformed. */
function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    if (req.headers['content-length'] && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      reject(new HttpError(415, 'Content-Type must be application/json'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) reject(new HttpError(413, 'Request body is too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new HttpError(400, 'Malformed JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function rows(statement: { name: string; text: string }, values: unknown[]): Promise<any[]> {
  return (await pool.query({ ...statement, values })).rows;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean); // ['api', 'jobs', id, action]
  if (req.method === 'GET' && url.pathname === '/health/live') return send(res, 200, { status: 'ok' });

  if (
    req.method === 'POST' &&
    parts[0] === 'api' &&
    parts[1] === 'media' &&
    parts.length === 3 &&
    JOB_TYPES.has(parts[2])
  ) {
    const body = await readJson(req);
    const invalid = invalidField(body, CREATE_RULES, ['media_url']);
    if (invalid) return badRequest(res, invalid);
    const [job] = await rows(SQL.insert, [
      parts[2],
      body.media_url,
      body.prompt ?? null,
      JSON.stringify(body.parameters ?? {}),
      body.priority ?? 0,
      body.max_attempts ?? 3,
    ]);
    return send(res, 201, job, { location: `/api/jobs/${job.id}` });
  }
  if (parts[0] !== 'api' || parts[1] !== 'jobs')
    return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });

  if (req.method === 'GET' && parts.length === 2) {
    for (const key of url.searchParams.keys())
      if (!['limit', 'status', 'cursor'].includes(key)) return badRequest(res, key);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const status = url.searchParams.get('status');
    const cursor = url.searchParams.get('cursor');
    if (!isInt(1, 100)(limit)) return badRequest(res, 'limit');
    if (status === null || !STATUSES.has(status)) return badRequest(res, 'status'); // the bench lists by status
    const found = cursor
      ? await rows(SQL.pageByStatusAfter, [
          status,
          ...Buffer.from(cursor, 'base64url').toString('utf8').split('|'),
          limit + 1,
        ])
      : await rows(SQL.pageByStatus, [status, limit + 1]);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    const next =
      found.length > limit ? Buffer.from(`${last.cursor_at}|${last.id}`, 'utf8').toString('base64url') : null;
    return send(res, 200, { items: page.map(({ cursor_at: _, ...job }) => job), next_cursor: next });
  }
  if (req.method === 'POST' && parts.length === 3 && parts[2] === 'claim') {
    const body = await readJson(req);
    const invalid = invalidField(body, CLAIM_RULES);
    if (invalid) return badRequest(res, invalid);
    const [job] = await rows(SQL.claim, [body.worker_id ?? null, body.lease_seconds ?? 300, body.job_types ?? null]);
    return job ? send(res, 200, job) : send(res, 204);
  }
  const id = parts[2];
  if (!id || !UUID.test(id))
    return send(res, 400, { statusCode: 400, error: 'Bad Request', message: ['id must be a UUID'] });
  if (req.method === 'GET' && parts.length === 3) {
    const [job] = await rows(SQL.detail, [id]);
    if (!job) return send(res, 404, { statusCode: 404, error: 'Not Found', message: `Job ${id} not found` });
    for (const child of [...job.assets, ...job.transcriptions, ...job.analysis_results])
      child.created_at = new Date(child.created_at);
    return send(res, 200, job);
  }
  if (req.method === 'POST' && parts.length === 4 && parts[3] === 'complete') {
    const body = await readJson(req);
    const invalid = invalidField(body, COMPLETE_RULES);
    if (invalid) return badRequest(res, invalid);
    const [job] = await rows(SQL.complete, [id, JSON.stringify(body.result ?? null), body.worker_id ?? null]);
    return job
      ? send(res, 200, job)
      : send(res, 409, { statusCode: 409, error: 'Conflict', message: `Job ${id} is not processing` });
  }
  return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) =>
    error instanceof HttpError
      ? send(res, error.status, { statusCode: error.status, error: 'Bad Request', message: error.message })
      : send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' }),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1');

const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
