import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The error message of every 401, from the guard and from the /docs hook alike. */
export const MISSING_KEY_MESSAGE = 'Missing or invalid API key: send Authorization: Bearer <key> or X-API-Key: <key>';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The keys a request presents: the Bearer token and the X-API-Key header, when present. */
export function presentedKeys(headers: IncomingHttpHeaders): string[] {
  const keys: string[] = [];
  const bearer = BEARER.exec(headers.authorization ?? '');
  if (bearer) keys.push(bearer[1]);
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) keys.push(apiKey.trim());
  return keys;
}

/**
 * The configured API keys, held only as SHA-256 digests. A presented key is hashed and compared
 * with every configured digest through timingSafeEqual: equal-length inputs, no early exit, so
 * the answer time says nothing about how much of a key was right or which key matched.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(sha256);
  }

  /** False when no key is configured: access is then open (development, or AUTH_DISABLED). */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /**
   * The digest of the configured key this request presents (a safe rate-limit identity: it is
   * not the key), or undefined when it presents none that is valid.
   */
  match(headers: IncomingHttpHeaders): Buffer | undefined {
    let matched: Buffer | undefined;
    for (const key of presentedKeys(headers)) {
      const digest = sha256(key);
      for (const known of this.digests) if (timingSafeEqual(digest, known) && !matched) matched = known;
    }
    return matched;
  }

  /** True when access is open or the request presents a valid key. */
  allows(headers: IncomingHttpHeaders): boolean {
    return !this.enabled || this.match(headers) !== undefined;
  }
}
