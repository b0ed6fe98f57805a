import { keyHeaders, keyRequired } from './key';

/** An API answer that is not a success, with a message written for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The endpoint does not exist on this server (a feature not deployed yet), rather than the thing asked for. */
    readonly missing = false,
  ) {
    super(message);
  }
}

function plainMessage(status: number, body: unknown): string {
  const detail = (body as { message?: unknown } | null)?.message;
  const text = Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : '';
  if (status === 401) return 'This service needs an API key. Enter one to see its data.';
  if (status === 403) return 'This API key is not allowed to do that.';
  if (status === 404) return text || 'Not found: it may have been deleted.';
  if (status === 409) return `Not possible in the current state${text ? `: ${text}` : '.'}`;
  if (status === 413) return 'The request is too large.';
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  if (status === 503) return 'The service cannot reach its database right now. Try again shortly.';
  if (status >= 500) return `The service had a problem (error ${status}). Try again shortly.`;
  return text || `The request was refused (error ${status}).`;
}

/** fetch with the key and plain-words errors; 401 makes the UI ask for a key. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...keyHeaders(), ...(init.headers as Record<string, string>) };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach the service. Check your connection or whether it is running.');
  }
  if (response.ok) return response;
  if (response.status === 401) keyRequired.set(true);
  const body: unknown = await response.json().catch(() => null);
  // Nest answers an unknown route with "Cannot GET /path"; an unknown id names the thing instead.
  const detail = (body as { message?: unknown } | null)?.message;
  const missing = response.status === 404 && typeof detail === 'string' && /^Cannot [A-Z]+ \//.test(detail);
  throw new ApiError(
    response.status,
    missing ? 'This is not available on this server.' : plainMessage(response.status, body),
    missing,
  );
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request(path, { signal })).json() as Promise<T>;
}

export async function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
  const response = await request(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return text ? (JSON.parse(text) as T) : null;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
