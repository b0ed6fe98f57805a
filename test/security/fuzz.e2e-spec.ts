import http, { STATUS_CODES } from 'node:http';
import fc from 'fast-check';
import { API_ENDPOINTS, type Endpoint, type PathIds } from '../utils/api-endpoints';
import { snapshot, startApi } from '../utils/fixtures';
import { MAX_JSON_DEPTH } from '../../src/common/storable-text';
import type { TestApp } from '../utils/test-app';

const KEY = 'fuzz-key-1-0123456789abcdef01234567';
/** Exactly this many requests run, however long they take (no time cap that could cut a run short). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
/** Marks where a raw JSON number token (one JSON.stringify cannot write, e.g. 1e400) goes in a body. */
const RAW = '\u0001raw\u0001';

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

/** Names that are properties of every object: as keys they must be plain data, never prototype writes. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
];

/** Number tokens at and past the edges of a double, as JSON text: ±1e400 parse to ±Infinity. */
const NON_FINITE_NUMBERS = ['1e400', '-1e400', '1E999', '-123e456'];
const EDGE_NUMBERS = ['1e308', '-1e308', '1e-400', '-0', '9'.repeat(400), '18446744073709551616', '0.1e-999'];

/** How deep hostile JSON nests: around the limit (64 levels, the body being the first) and far past it. */
const DEPTHS = [62, 63, 64, 65, 1000, 20_000];

/** JSON text nested `depth` levels (arrays or objects), without recursion. */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + '1' + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A hostile value written into a body as raw JSON text, and what it is. */
interface RawValue {
  json: string;
  nonFinite: boolean;
  /** Levels this value adds below its field. */
  depth: number;
}

const rawValue: fc.Arbitrary<RawValue> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(...NON_FINITE_NUMBERS).map((json) => ({ json, nonFinite: true, depth: 0 })),
  },
  fc.constantFrom(...EDGE_NUMBERS).map((json) => ({ json, nonFinite: false, depth: 0 })),
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...DEPTHS), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, kind]) => ({ json: deepJson(depth, kind), nonFinite: false, depth })),
  },
  // Wide: many keys or elements, still far below the 1 MiB body limit.
  fc.integer({ min: 1000, max: 20_000 }).map((n) => ({
    json: `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`,
    nonFinite: false,
    depth: 1,
  })),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => ({ json: `[${'0,'.repeat(n)}0]`, nonFinite: false, depth: 1 })),
  fc
    .constantFrom(...PROTOTYPE_NAMES)
    .map((name) => ({ json: `{${JSON.stringify(name)}:{"polluted":true}}`, nonFinite: false, depth: 2 })),
);

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

interface Body {
  payload: string | undefined;
  /** The hostile raw value inside it, if any. */
  raw?: RawValue;
}

function bodyFor(endpoint: Endpoint): fc.Arbitrary<Body> {
  const known = Object.keys(endpoint.body ?? { media_url: 1, worker_id: 1 });
  const fieldName = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  );
  // The valid example with some fields replaced, removed or added: gets past the first checks.
  const mutated = fc
    .tuple(fc.dictionary(fieldName, fieldValue, { maxKeys: 2 }), fc.oneof(fc.constant([]), fc.subarray(known)))
    .map(([changes, removed]) => {
      const body: Record<string, unknown> = { ...(endpoint.body ?? {}) };
      // defineProperty: a generated "__proto__" becomes a key, as JSON.parse makes it, not a prototype.
      for (const [key, value] of Object.entries(changes)) {
        Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
      }
      for (const key of removed) delete body[key];
      return JSON.stringify(body);
    });
  // The valid example with one field (known or not) holding a hostile raw value.
  const hostile = fc.tuple(fieldName, rawValue).map(([field, raw]): Body => {
    const body = { ...(endpoint.body ?? {}) } as Record<string, unknown>;
    Object.defineProperty(body, field, { value: RAW, enumerable: true, writable: true, configurable: true });
    return { payload: JSON.stringify(body).replace(JSON.stringify(RAW), raw.json), raw };
  });
  const plain = (payload: fc.Arbitrary<string | undefined>) => payload.map((p): Body => ({ payload: p }));
  return fc.oneof(
    { weight: 2, arbitrary: plain(fc.constant(JSON.stringify(endpoint.body ?? {}))) },
    { weight: 5, arbitrary: plain(mutated) },
    { weight: 4, arbitrary: hostile },
    { weight: 2, arbitrary: plain(jsonValue.map((value) => JSON.stringify(value))) },
    { weight: 1, arbitrary: plain(fc.constantFrom(...NASTY_BODIES)) },
    { weight: 1, arbitrary: plain(unicode) },
    { weight: 1, arbitrary: plain(fc.constant(undefined)) },
  );
}

function queryFor(endpoint: Endpoint): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(endpoint.query ?? ['limit'])) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('unknown', 'limit[]', 'limit[$gt]', 'status[0]', ...PROTOTYPE_NAMES),
    },
    { weight: 1, arbitrary: text },
  );
  const value = fc.oneof(
    fc.constantFrom(...NASTY_VALUES, ...NON_FINITE_NUMBERS, ...EDGE_NUMBERS),
    text,
    unicode,
    fc.integer().map(String),
  );
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
  raw?: RawValue;
  /** A valid key in a header the service reads, and JSON as the declared body type. */
  authorized: boolean;
  json: boolean;
}

/** Header values Node's HTTP client accepts (it refuses control characters and code points past U+00FF). */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

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
        body:
          endpoint.method === 'POST'
            ? bodyFor(endpoint)
            : fc.option(bodyFor(endpoint), { freq: 5, nil: undefined }).map((b): Body => b ?? { payload: undefined }),
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
          fc.oneof(
            fc.constantFrom(
              'idempotency-key',
              'x-request-id',
              'accept',
              'origin',
              'x-forwarded-for',
              'accept-encoding',
            ),
            fc.constantFrom(...PROTOTYPE_NAMES),
          ),
          fc.oneof(text, fc.constantFrom(...NON_FINITE_NUMBERS, ...PROTOTYPE_NAMES)).map(headerSafe),
          { maxKeys: 3 },
        ),
      })
      .map(({ id, swapKind, query, body, contentType, auth, extra }): FuzzRequest => {
        const current = ids();
        const slot = endpoint.idOf;
        const pathIds: PathIds = { ...current };
        if (slot && swapKind) pathIds[slot] = current[swapKind];
        if (slot && id !== undefined) pathIds[slot] = id;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries({ ...extra, ...auth })) {
          Object.defineProperty(headers, name, { value: headerSafe(value), enumerable: true, writable: true });
        }
        const { payload, raw } = body;
        if (contentType && payload !== undefined) headers['content-type'] = contentType;
        const authorized = headers.authorization === `Bearer ${KEY}` || headers['x-api-key'] === KEY;
        const json = /^application\/json/i.test(headers['content-type'] ?? '');
        return {
          endpoint,
          method: endpoint.method,
          url: endpoint.path(pathIds) + query,
          headers,
          payload,
          raw,
          authorized,
          json,
        };
      }),
  );
}

interface Answer {
  status: number;
  body: string;
}

/** One request through Node's HTTP client to the listening server: the real parser, not inject. */
function send(agent: http.Agent, port: number, request: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A declared length: Node's client sends a DELETE or GET body unframed otherwise, which the
    // server must read as the start of a next (malformed) request.
    const headers = { ...request.headers };
    if (request.payload !== undefined) headers['content-length'] = String(Buffer.byteLength(request.payload));
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: request.method, path: request.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.payload);
  });
}

describe('fuzzing every endpoint of API.md over HTTP (fast-check; replay with FUZZ_SEED and FUZZ_PATH)', () => {
  let t: TestApp;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pool: PathIds[] = [];

  beforeAll(async () => {
    // No lease sweep during the run: it would change rows between the before and after snapshots.
    t = await startApi({ env: { API_KEYS: KEY, LEASE_SWEEP_INTERVAL_MS: '3600000' } });
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const post = async (url: string, body: object) => {
      const res = await t.http.post(url).set('x-api-key', KEY).send(body);
      expect(res.status).toBe(201);
      return res.body.id as string;
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
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  it(`answers ${RUNS} requests: no 5xx; every 4xx has the error body and changes nothing; GET never changes anything; hostile JSON is never stored`, async () => {
    let next = 0;
    const ids = () => pool[next++ % pool.length];
    const statuses: Record<number, number> = {};
    let hostileRejected = 0;
    const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
    await fc.assert(
      fc.asyncProperty(requestArbitrary(ids), async (request) => {
        const before = await snapshot(t.db);
        const res = await send(agent, port, request);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const where = `${request.method} ${request.url} -> ${res.status} ${res.body.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        if (res.status >= 400) {
          const body = JSON.parse(res.body);
          expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
          expect(body.statusCode).toBe(res.status);
          expect(body.error).toBe(STATUS_CODES[res.status]);
        }
        // A non-finite number or nesting past the limit reaching the parser is refused, never stored.
        const tooDeep = request.raw !== undefined && request.raw.depth + 1 > MAX_JSON_DEPTH;
        if (request.authorized && request.json && request.method === 'POST' && (request.raw?.nonFinite || tooDeep)) {
          if (res.status < 300) throw new Error(`hostile JSON accepted: ${where}`);
          hostileRejected++;
        }
        // The server runs in this process: a prototype name in a body, query or header must not have written here.
        expect(Object.prototype).not.toHaveProperty('polluted');
        if (res.status >= 400 || request.method === 'GET') {
          const after = await snapshot(t.db);
          if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`database changed by ${where}`);
        }
      }),
      { numRuns: RUNS, seed, path: process.env.FUZZ_PATH, endOnFailure: true },
    );
    const total = Object.values(statuses).reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: ${total} requests, ${hostileRejected} hostile JSON refused, statuses ${JSON.stringify(statuses)}`,
    );
    // Every case ran (no time cap), and the generator reaches past validation, not only the 400 wall.
    expect(total).toBe(RUNS);
    expect(hostileRejected).toBeGreaterThan(RUNS / 100);
    expect(Object.keys(statuses).map(Number)).toEqual(expect.arrayContaining([200, 201, 400, 401, 404]));
  }, 600_000);
});
