import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { bareHost, type TargetPolicy } from './target-policy';

/** At most this much of an answer is read; the rest is cut off with the connection. */
export const MAX_RESPONSE_READ_BYTES = 64 * 1024;
/** …and this much of it kept, for the deliveries list. */
export const MAX_RESPONSE_KEPT_BYTES = 1024;

export interface AttemptResult {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The first KiB of the answer's body. */
  body?: string;
  /** Why no acceptable answer came (timeout, connection error, refused target). */
  error?: string;
}

/** The first KiB of a body as text PostgreSQL can store (no NUL, no cut character). */
function keptText(chunks: Buffer[]): string {
  const head = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_KEPT_BYTES).toString('utf8');
  return head.replace(/\uFFFD+$/, '').replaceAll('\u0000', '');
}

/**
 * POSTs a JSON body through agents whose DNS lookup is the target policy, so the address each
 * socket connects to has been checked (a host written as an IP address is checked here: Node
 * does not look those up). Redirects are not followed; the whole exchange is bounded by
 * `timeoutMs`, and at most 64 KiB of the answer is read.
 */
export class JsonPoster {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs: number,
    maxSocketsPerHost: number,
  ) {
    const options = { keepAlive: true, maxSockets: maxSocketsPerHost, lookup: policy.lookup as never };
    this.http = new HttpAgent(options);
    this.https = new HttpsAgent(options);
  }

  async post(url: URL, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<AttemptResult> {
    const host = bareHost(url);
    try {
      if (isIP(host)) await this.policy.addressesOf(host);
    } catch (error) {
      return { error: (error as Error).message };
    }
    const secure = url.protocol === 'https:';
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve(result);
      };
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'media-analysis-api-webhooks/1',
            ...headers,
          },
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let read = 0;
          const done = () => finish({ status: response.statusCode, body: keptText(chunks) });
          response.on('data', (chunk: Buffer) => {
            if (read < MAX_RESPONSE_KEPT_BYTES) chunks.push(chunk);
            read += chunk.length;
            if (read >= MAX_RESPONSE_READ_BYTES) {
              done();
              request.destroy(); // the rest is not read
            }
          });
          response.on('end', done);
          response.on('error', (error) => finish({ status: response.statusCode, error: error.message }));
        },
      );
      const timer = setTimeout(() => {
        finish({ error: `no complete answer within ${this.timeoutMs} ms` });
        request.destroy();
      }, this.timeoutMs);
      const abort = () => {
        finish({ error: 'aborted: the service is shutting down' });
        request.destroy();
      };
      signal?.addEventListener('abort', abort);
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          error: error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message,
        }),
      );
      request.end(body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
