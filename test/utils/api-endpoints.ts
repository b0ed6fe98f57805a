/** The ids an endpoint's path needs (a job and one child of each kind). */
export interface PathIds {
  job: string;
  asset: string;
  transcription: string;
  result: string;
}

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as API.md writes it, e.g. /api/jobs/{id}/assets. */
  route: string;
  /** The concrete path for the given ids. */
  path(ids: PathIds): string;
  /** Which id the path carries, if any (fuzzers replace it). */
  idOf?: keyof PathIds;
  /** Query parameters the endpoint knows (fuzzers mix them with unknown ones). */
  query?: string[];
  /** Body fields the endpoint knows, with a valid example body. */
  body?: Record<string, unknown>;
}

const LIST_QUERY = ['limit', 'cursor', 'created_after', 'created_before'];
const BRANCHES = ['video', 'audio', 'document'] as const;

/** Every endpoint of API.md (the contract REST consumers rely on). */
export const API_ENDPOINTS: Endpoint[] = [
  ...BRANCHES.flatMap((branch): Endpoint[] => [
    {
      method: 'POST',
      route: `/api/media/${branch}`,
      path: () => `/api/media/${branch}`,
      body: {
        media_url: `https://cdn.example.com/${branch}.bin`,
        prompt: 'p',
        parameters: { a: 1 },
        priority: 1,
        max_attempts: 2,
      },
    },
    {
      method: 'GET',
      route: `/api/media/${branch}`,
      path: () => `/api/media/${branch}`,
      query: [...LIST_QUERY, 'status'],
    },
    {
      method: 'GET',
      route: `/api/media/${branch}/{id}`,
      path: (ids) => `/api/media/${branch}/${ids.job}`,
      idOf: 'job',
    },
  ]),
  { method: 'GET', route: '/api/jobs', path: () => '/api/jobs', query: [...LIST_QUERY, 'status', 'job_type'] },
  { method: 'GET', route: '/api/jobs/{id}', path: (ids) => `/api/jobs/${ids.job}`, idOf: 'job' },
  { method: 'DELETE', route: '/api/jobs/{id}', path: (ids) => `/api/jobs/${ids.job}`, idOf: 'job' },
  {
    method: 'POST',
    route: '/api/jobs/claim',
    path: () => '/api/jobs/claim',
    body: { job_types: ['video'], worker_id: 'w1', lease_seconds: 60 },
  },
  { method: 'POST', route: '/api/jobs/{id}/start', path: (ids) => `/api/jobs/${ids.job}/start`, idOf: 'job' },
  {
    method: 'POST',
    route: '/api/jobs/{id}/complete',
    path: (ids) => `/api/jobs/${ids.job}/complete`,
    idOf: 'job',
    body: { result: { ok: true }, worker_id: 'w1' },
  },
  {
    method: 'POST',
    route: '/api/jobs/{id}/fail',
    path: (ids) => `/api/jobs/${ids.job}/fail`,
    idOf: 'job',
    body: { error: 'boom', worker_id: 'w1' },
  },
  { method: 'POST', route: '/api/jobs/{id}/retry', path: (ids) => `/api/jobs/${ids.job}/retry`, idOf: 'job' },
  {
    method: 'POST',
    route: '/api/jobs/bulk-retry',
    path: () => '/api/jobs/bulk-retry',
    body: { job_type: 'video', created_after: '2026-01-01T00:00:00Z', error_contains: 'boom', dry_run: true },
  },
  {
    method: 'POST',
    route: '/api/jobs/bulk-delete',
    path: () => '/api/jobs/bulk-delete',
    body: { status: 'failed', job_type: 'audio', created_before: '2020-01-01T00:00:00Z', dry_run: true },
  },
  { method: 'GET', route: '/api/stats', path: () => '/api/stats' },
  {
    method: 'POST',
    route: '/api/jobs/{id}/heartbeat',
    path: (ids) => `/api/jobs/${ids.job}/heartbeat`,
    idOf: 'job',
    body: { worker_id: 'w1', lease_seconds: 60 },
  },
  {
    method: 'POST',
    route: '/api/jobs/{id}/assets',
    path: (ids) => `/api/jobs/${ids.job}/assets`,
    idOf: 'job',
    body: {
      asset_type: 'frame',
      file_path: 's3://b/f.jpg',
      file_size_bytes: 10,
      mime_type: 'image/jpeg',
      metadata: { w: 1 },
    },
  },
  {
    method: 'GET',
    route: '/api/jobs/{id}/assets',
    path: (ids) => `/api/jobs/${ids.job}/assets`,
    idOf: 'job',
    query: ['limit', 'cursor', 'asset_type'],
  },
  { method: 'GET', route: '/api/assets/{asset_id}', path: (ids) => `/api/assets/${ids.asset}`, idOf: 'asset' },
  { method: 'DELETE', route: '/api/assets/{asset_id}', path: (ids) => `/api/assets/${ids.asset}`, idOf: 'asset' },
  {
    method: 'POST',
    route: '/api/jobs/{id}/transcriptions',
    path: (ids) => `/api/jobs/${ids.job}/transcriptions`,
    idOf: 'job',
    body: {
      provider: 'deepgram',
      text_content: 'hello',
      language: 'en',
      confidence_score: 0.9,
      word_timestamps: [{ word: 'hello', start: 0, end: 0.5 }],
      metadata: {},
    },
  },
  {
    method: 'GET',
    route: '/api/jobs/{id}/transcriptions',
    path: (ids) => `/api/jobs/${ids.job}/transcriptions`,
    idOf: 'job',
    query: ['limit', 'cursor', 'provider'],
  },
  {
    method: 'GET',
    route: '/api/transcriptions/{transcription_id}',
    path: (ids) => `/api/transcriptions/${ids.transcription}`,
    idOf: 'transcription',
  },
  {
    method: 'GET',
    route: '/api/transcriptions/{transcription_id}/captions',
    path: (ids) => `/api/transcriptions/${ids.transcription}/captions`,
    idOf: 'transcription',
    query: ['format', 'max_chars_per_line', 'max_lines', 'max_cue_seconds'],
  },
  {
    method: 'DELETE',
    route: '/api/transcriptions/{transcription_id}',
    path: (ids) => `/api/transcriptions/${ids.transcription}`,
    idOf: 'transcription',
  },
  {
    method: 'POST',
    route: '/api/jobs/{id}/analysis-results',
    path: (ids) => `/api/jobs/${ids.job}/analysis-results`,
    idOf: 'job',
    body: {
      analysis_type: 'video',
      summary: 's',
      detailed_analysis: { scenes: 1 },
      confidence_score: 0.5,
      model_used: 'm',
      prompt_used: 'p',
      input_tokens: 1,
      output_tokens: 2,
    },
  },
  {
    method: 'GET',
    route: '/api/jobs/{id}/analysis-results',
    path: (ids) => `/api/jobs/${ids.job}/analysis-results`,
    idOf: 'job',
    query: ['limit', 'cursor', 'analysis_type'],
  },
  {
    method: 'GET',
    route: '/api/analysis-results/{result_id}',
    path: (ids) => `/api/analysis-results/${ids.result}`,
    idOf: 'result',
  },
  {
    method: 'DELETE',
    route: '/api/analysis-results/{result_id}',
    path: (ids) => `/api/analysis-results/${ids.result}`,
    idOf: 'result',
  },
  {
    method: 'GET',
    route: '/api/search',
    path: () => '/api/search',
    query: ['q', 'kind', 'job_type', 'language', 'provider', 'created_after', 'created_before', 'limit', 'cursor'],
  },
];
