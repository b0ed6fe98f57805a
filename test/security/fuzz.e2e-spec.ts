import { STATUS_CODES } from 'node:http';
import fc from 'fast-check';
import { API_ENDPOINTS, type Endpoint, type PathIds } from '../utils/api-endpoints';
import { snapshot } from '../utils/fixtures';
import { startTestApp, type TestApp } from '../utils/test-app';

const KEY = 'fuzz-key-1-0123456789abcdef01234567';
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const TIME_LIMIT_MS = 30_000;

/** Ids that look nothing like, or almost like, a UUID; path segments are URL-encoded. */
const NASTY_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  "1' OR '1'='1",
  '1; DROP TABLE jobs; --',
  '../../etc/passwd',
  '%00',
  '\u0000',
  'null',
  '-1',
  '9'.repeat(40),
  'a'.repeat(300),
  '😀',
];

/** Path segments sent as they are, not URL-encoded: broken percent-encodings and friends. */
const RAW_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%C0%AF', '..', '.', '%2e%2e', 'a;b', '%00'];

const NASTY_VALUES = [
  '',
  '0',
  '-1',
  '101',
  '1e3',
  '20.5',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'pending',
  'video',
  'deepgram',
  '2026-01-20T10:00:00.000Z',
  '2026-13-45T99:99:99Z',
  'bm90IGEgY3Vyc29y',
  '\u0000',
  "' OR 1=1 --",
  '😀'.repeat(10),
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  undefined,
];

const NASTY_BODIES = [
  '',
  '{',
  'null',
  '[]',
  '"a string"',
  '123',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"media_url":"https://cdn.example.com/\\u0000.mp4"}',
  '{"media_url":"https://cdn.example.com/a.mp4","media_url":"javascript:alert(1)"}',
  '\u0000',
  '\ufeff{}',
];

const text = fc.string({ maxLength: 40 });
const unicode = fc.string({ unit: 'binary', maxLength: 60 });
const jsonValue = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

/** A value for a known field: something plausible, an edge, or anything at all. */
const fieldValue = fc.oneof(
  jsonValue,
  fc.constantFrom<unknown>(null, '', 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, true, [], {}, 'x'.repeat(5000)),
  fc.integer(),
  fc.double(),
  unicode,
);

function bodyFor(endpoint: Endpoint): fc.Arbitrary<string | undefined> {
  const known = Object.keys(endpoint.body ?? { media_url: 1, worker_id: 1 });
  const fieldName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: text });
  // The valid example with some fields replaced, removed or added: gets past the first checks.
  const mutated = fc
    .tuple(fc.dictionary(fieldName, fieldValue, { maxKeys: 2 }), fc.oneof(fc.constant([]), fc.subarray(known)))
    .map(([changes, removed]) => {
      const body: Record<string, unknown> = { ...(endpoint.body ?? {}), ...changes };
      for (const key of removed) delete body[key];
      return JSON.stringify(body);
    });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(JSON.stringify(endpoint.body ?? {})) },
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: jsonValue.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_BODIES) },
    { weight: 1, arbitrary: unicode },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function queryFor(endpoint: Endpoint): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(endpoint.query ?? ['limit'])) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('unknown', '__proto__', 'constructor', 'limit[]', 'limit[$gt]', 'status[0]'),
    },
    { weight: 1, arbitrary: text },
  );
  const value = fc.oneof(fc.constantFrom(...NASTY_VALUES), text, unicode, fc.integer().map(String));
  return fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) => {
    if (pairs.length === 0) return '';
    // Lone surrogates cannot be percent-encoded; everything else goes through as generated.
    const clean = (s: string) => s.replace(/[\ud800-\udfff]/g, '');
    return `?${new URLSearchParams(pairs.map(([k, v]): [string, string] => [clean(k), clean(v)])).toString()}`;
  });
}

type Headers = Record<string, string>;

interface FuzzRequest {
  endpoint: Endpoint;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function requestArbitrary(ids: () => PathIds): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...API_ENDPOINTS).chain((endpoint) =>
    fc
      .record({
        // An existing id, an unknown UUID, or garbage, for the id the path carries.
        id: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.uuid().map(encodeURIComponent) },
          { weight: 2, arbitrary: fc.constantFrom(...NASTY_IDS).map(encodeURIComponent) },
          { weight: 1, arbitrary: text.filter((s) => s.length > 0).map(encodeURIComponent) },
          { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
        ),
        // Another id kind in the slot (a job id where an asset id belongs, and so on).
        swapKind: fc.constantFrom<keyof PathIds | undefined>(
          undefined,
          undefined,
          undefined,
          'job',
          'asset',
          'transcription',
          'result',
        ),
        query: queryFor(endpoint),
        payload:
          endpoint.method === 'POST' ? bodyFor(endpoint) : fc.option(bodyFor(endpoint), { freq: 5, nil: undefined }),
        contentType: fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
        ),
        auth: fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom<Headers>({ authorization: `Bearer ${KEY}` }, { 'x-api-key': KEY }) },
          { weight: 1, arbitrary: fc.constant<Headers>({}) },
          { weight: 1, arbitrary: text.map((value): Headers => ({ authorization: value })) },
          {
            weight: 1,
            arbitrary: text.map((value): Headers => ({ 'x-api-key': value, authorization: `Bearer ${KEY}x` })),
          },
        ),
        extra: fc.dictionary(
          fc.constantFrom('idempotency-key', 'x-request-id', 'accept', 'origin', 'x-forwarded-for', 'accept-encoding'),
          text,
          {
            maxKeys: 3,
          },
        ),
      })
      .map(({ id, swapKind, query, payload, contentType, auth, extra }): FuzzRequest => {
        const current = ids();
        const slot = endpoint.idOf;
        const pathIds: PathIds = { ...current };
        if (slot && swapKind) pathIds[slot] = current[swapKind];
        if (slot && id !== undefined) pathIds[slot] = id;
        const headers: Record<string, string> = { ...extra, ...auth };
        if (contentType && payload !== undefined) headers['content-type'] = contentType;
        return { endpoint, method: endpoint.method, url: endpoint.path(pathIds) + query, headers, payload };
      }),
  );
}

describe('fuzzing every endpoint of API.md (fast-check; replay with FUZZ_SEED and FUZZ_PATH)', () => {
  let t: TestApp;
  const pool: PathIds[] = [];

  beforeAll(async () => {
    // No lease sweep during the run: it would change rows between the before and after snapshots.
    t = await startTestApp({ env: { API_KEYS: KEY, LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    const post = async (url: string, body: object) => {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'x-api-key': KEY }, payload: body });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    for (const type of ['video', 'audio', 'document']) {
      for (let i = 0; i < 3; i++) {
        const job = await post(`/api/media/${type}`, { media_url: `https://cdn.example.com/fuzz/${type}-${i}` });
        pool.push({
          job,
          asset: await post(`/api/jobs/${job}/assets`, { asset_type: 'frame', file_path: 's3://b/f.jpg' }),
          transcription: await post(`/api/jobs/${job}/transcriptions`, { provider: 'openai', text_content: 'x' }),
          result: await post(`/api/jobs/${job}/analysis-results`, { analysis_type: 'audio' }),
        });
      }
    }
  });
  afterAll(() => t.close());

  it('answers no 5xx; every 4xx has the error body and changes nothing; GET never changes anything', async () => {
    let next = 0;
    const ids = () => pool[next++ % pool.length];
    const statuses: Record<number, number> = {};
    const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
    await fc.assert(
      fc.asyncProperty(requestArbitrary(ids), async (request) => {
        const before = await snapshot(t.db);
        const res = await t.app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          payload: request.payload,
        });
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        const where = `${request.method} ${request.url} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        if (res.statusCode >= 500) throw new Error(`5xx: ${where}`);
        if (res.statusCode >= 400) {
          const body = res.json();
          expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
          expect(body.statusCode).toBe(res.statusCode);
          expect(body.error).toBe(STATUS_CODES[res.statusCode]);
        }
        if (res.statusCode >= 400 || request.method === 'GET') {
          const after = await snapshot(t.db);
          if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`database changed by ${where}`);
        }
      }),
      { numRuns: RUNS, seed, path: process.env.FUZZ_PATH, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] },
    );
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    console.log(`fuzz: ${total} requests, statuses ${JSON.stringify(statuses)}`);
    // The generator reaches past validation too, not only the 400 wall.
    expect(Object.keys(statuses).map(Number)).toEqual(expect.arrayContaining([200, 201, 400, 401, 404]));
  }, 60_000);
});
