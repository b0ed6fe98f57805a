import http from 'node:http';
import type { TestApp } from './test-app';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every event received so far, in order. */
  events: SseEvent[];
  /** Every comment line received so far (without the leading colon). */
  comments: string[];
  /** The body of a non-200 answer. */
  body: string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  waitFor(predicate: (stream: SseStream) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * A minimal Server-Sent Events reader over node:http (as a browser's EventSource parses the
 * stream: fields per line, an empty line ends an event, lines starting with ':' are comments).
 */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    request.on('error', reject);
    request.on('response', (response) => {
      let buffer = '';
      let current: Partial<SseEvent> & { dataLines?: string[] } = {};
      const listeners = new Set<() => void>();
      let endedResolve: () => void = () => undefined;
      const stream: SseStream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        events: [],
        comments: [],
        body: '',
        ended: new Promise<void>((done) => (endedResolve = done)),
        waitFor: (predicate, timeoutMs = 60_000) =>
          new Promise<void>((done, fail) => {
            if (predicate(stream)) return done();
            const timer = setTimeout(() => {
              listeners.delete(check);
              fail(new Error(`SSE wait timed out with ${stream.events.length} events`));
            }, timeoutMs);
            const check = () => {
              if (!predicate(stream)) return;
              clearTimeout(timer);
              listeners.delete(check);
              done();
            };
            listeners.add(check);
          }),
        close: () => request.destroy(),
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (stream.status !== 200) {
          stream.body += chunk;
          return;
        }
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.dataLines) {
              stream.events.push({ id: current.id, event: current.event, data: current.dataLines.join('\n') });
            }
            current = {};
          } else if (line.startsWith(':')) {
            stream.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') (current.dataLines ??= []).push(value);
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
        }
        for (const listener of [...listeners]) listener();
      });
      const finish = () => {
        endedResolve();
        for (const listener of [...listeners]) listener();
      };
      response.on('end', finish);
      response.on('close', finish);
      response.on('error', finish);
      resolve(stream);
    });
  });
}

/** The events of a stream as parsed JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const parsed = (stream: SseStream): Record<string, any>[] =>
  stream.events.map((event) => JSON.parse(event.data));

/** The loopback base URL of an app started with startApi. */
export const baseUrl = (t: TestApp): string =>
  `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;

/** Opens GET /api/events/stream and waits until it is attached: every later commit reaches it. */
export async function follow(t: TestApp, query = '', headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(`${baseUrl(t)}/api/events/stream${query}`, headers);
  expect(stream.status).toBe(200);
  await stream.waitFor((s) => s.comments.includes('connected'));
  return stream;
}
