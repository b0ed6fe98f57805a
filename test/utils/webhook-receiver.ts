import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Its place on the receiver's one timeline of arrivals and acknowledgements. */
  seq: number;
  /** Where on that timeline its 2xx was flushed to the connection (unset otherwise). */
  acknowledgedSeq?: number;
}

/** What the receiver does with one request: answer (status, body), or misbehave. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true } // never answer (the sender's timeout)
  | { reset: true }; // drop the connection without an answer

export interface Receiver {
  url: string;
  port: number;
  /** Every request received, answered or not, in arrival order. */
  received: ReceivedRequest[];
  /**
   * Requests answered with a 2xx that was flushed to the connection, in that order. Not
   * necessarily an answer the sender saw: a request it timed out and closed can still arrive,
   * be answered and land here (the answer then goes into the closed connection).
   */
  acknowledged: ReceivedRequest[];
  /** Replaces how requests are answered. */
  setReply(reply: (request: ReceivedRequest) => Reply | Promise<Reply>): void;
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for a webhook consumer. */
export async function startReceiver(
  reply: (request: ReceivedRequest) => Reply | Promise<Reply> = () => ({ status: 200, body: 'ok' }),
): Promise<Receiver> {
  let answer = reply;
  const received: ReceivedRequest[] = [];
  const acknowledged: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
        seq: ++seq,
      };
      received.push(request);
      void Promise.resolve(answer(request)).then((what) => {
        if ('hang' in what) return;
        if ('reset' in what) {
          req.socket.destroy();
          return;
        }
        res.writeHead(what.status, { 'content-type': 'text/plain', ...what.headers });
        // Node calls this with an error when the answer could not be flushed: not an acknowledgement.
        res.end(what.body ?? '', (error?: Error | null) => {
          if (error || what.status < 200 || what.status >= 300) return;
          request.acknowledgedSeq = ++seq;
          acknowledged.push(request);
        });
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    acknowledged,
    setReply: (next) => (answer = next),
    async waitFor(predicate, timeoutMs = 15_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
