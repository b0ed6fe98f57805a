import http from 'node:http';

export interface BurstRequest {
  /** Identifies the request (e.g. the media_url it creates), to match it with the database. */
  key: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface BurstOutcome {
  key: string;
  /** The status, when a complete response arrived. */
  status?: number;
  body?: string;
  /**
   * How the request failed, when it did: `before-response` (refused, or the connection closed
   * before any byte of an answer: the server never took the request), or `mid-response` (an
   * answer started and was cut: never acceptable), or `timeout` (no complete answer within
   * `timeoutMs`: a hang).
   */
  failure?: 'before-response' | 'mid-response' | 'timeout';
  errorCode?: string;
  startedAt: number;
  endedAt: number;
}

function send(
  agent: http.Agent,
  baseUrl: string,
  request: BurstRequest,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<BurstOutcome> {
  const startedAt = Date.now();
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve) => {
    let responded = false;
    let settled = false;
    const finish = (outcome: Omit<BurstOutcome, 'key' | 'startedAt' | 'endedAt'>) => {
      if (settled) return;
      settled = true;
      resolve({ key: request.key, startedAt, endedAt: Date.now(), ...outcome });
    };
    const req = http.request(
      `${baseUrl}${request.path}`,
      {
        method: request.method,
        agent,
        headers: {
          ...headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        responded = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => finish({ status: res.statusCode, body }));
        res.on('aborted', () => finish({ failure: 'mid-response', errorCode: 'aborted' }));
        res.on('error', (error: NodeJS.ErrnoException) =>
          finish({ failure: 'mid-response', errorCode: error.code ?? error.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ failure: 'timeout', errorCode: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ failure: responded ? 'mid-response' : 'before-response', errorCode: error.code ?? error.message }),
    );
    req.end(payload);
  });
}

/**
 * `connections` clients, each on its own keep-alive connection, sending requests one after the
 * other (`next(client, n)` makes the n-th of a client) until `next` returns undefined, the client
 * sees a failure, or `deadline` passes. Every outcome is recorded.
 */
export async function keepAliveBurst(options: {
  baseUrl: string;
  connections: number;
  headers?: Record<string, string>;
  next(client: number, n: number): BurstRequest | undefined;
  deadline: number;
  /** A request without a complete answer after this long counts as hung (default 30 s). */
  timeoutMs?: number;
  /** An X-Request-Id per request (e.g. its key), to find it in the service's log. */
  requestId?(key: string): string;
}): Promise<BurstOutcome[]> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.connections,
    maxFreeSockets: options.connections,
  });
  const outcomes: BurstOutcome[] = [];
  const client = async (id: number) => {
    for (let n = 0; Date.now() < options.deadline; n++) {
      const request = options.next(id, n);
      if (!request) return;
      const headers = {
        ...options.headers,
        ...(options.requestId ? { 'x-request-id': options.requestId(request.key) } : {}),
      };
      const outcome = await send(agent, options.baseUrl, request, headers, options.timeoutMs ?? 30_000);
      outcomes.push(outcome);
      if (outcome.failure) return;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, (_, id) => client(id)));
  } finally {
    agent.destroy();
  }
  return outcomes;
}
