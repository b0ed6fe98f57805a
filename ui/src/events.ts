import { EventSourceParserStream } from 'eventsource-parser/stream';
import { apiKey, keyHeaders, keyRequired } from './key';
import { Store } from './store';

/** A job event as GET /api/events and the stream carry it. */
export interface JobEvent {
  id: number | string;
  type: string;
  job_id: string;
  job_type: string;
  created_at: string;
  data: Record<string, unknown> | null;
}

/**
 * live: the stream is open; connecting / reconnecting: trying (pages poll meanwhile);
 * unavailable: the server has no event stream (404), retried now and then.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'unauthorized';

export const streamState = new Store<StreamState>('connecting');

const listeners = new Set<(event: JobEvent) => void>();
let lastEventId: string | undefined;
let controller: AbortController | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

/** No byte for this long (the server sends a keep-alive every 15 s): the connection is dead. */
const SILENCE_MS = 45_000;
const UNAVAILABLE_RETRY_MS = 30_000;

function scheduleReconnect(state: StreamState, delayMs: number): void {
  streamState.set(state);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, delayMs);
}

/**
 * The event stream through fetch (EventSource cannot send the API key header), parsed by
 * eventsource-parser; resumes after the last event seen with Last-Event-ID.
 */
async function connect(): Promise<void> {
  controller?.abort();
  const current = new AbortController();
  controller = current;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const feed = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => current.abort(), SILENCE_MS);
  };
  try {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...keyHeaders() };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    feed();
    const response = await fetch('/api/events/stream', { headers, signal: current.signal, cache: 'no-store' });
    if (response.status === 401) {
      keyRequired.set(true);
      streamState.set('unauthorized');
      return; // connected again when a key is entered
    }
    if (response.status === 404) return scheduleReconnect('unavailable', UNAVAILABLE_RETRY_MS);
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    streamState.set('live');
    failures = 0;
    const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    const reader = events.getReader();
    for (;;) {
      feed();
      const { done, value } = await reader.read();
      if (done) break;
      if (value.id) lastEventId = value.id;
      let event: JobEvent;
      try {
        event = JSON.parse(value.data) as JobEvent;
      } catch {
        continue;
      }
      for (const listener of listeners) listener(event);
    }
    throw new Error('stream ended');
  } catch {
    if (controller !== current) return; // replaced by a newer connection
    failures++;
    scheduleReconnect('reconnecting', Math.min(1000 * 2 ** (failures - 1), 15_000));
  } finally {
    clearTimeout(watchdog);
  }
}

/** Follow every job event; the stream opens with the first listener. */
export function onJobEvent(listener: (event: JobEvent) => void): () => void {
  listeners.add(listener);
  if (!controller) void connect();
  return () => listeners.delete(listener);
}

// A new key: reconnect with it.
apiKey.subscribe(() => {
  if (controller) void connect();
});
