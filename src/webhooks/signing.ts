import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new signing secret as Standard Webhooks writes one: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** True for `whsec_` + base64 of at least 24 bytes (what any Standard Webhooks library accepts and is worth signing with). */
export function isSigningSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  return BASE64.test(encoded) && Buffer.from(encoded, 'base64').length >= 24;
}

/** The three Standard Webhooks headers of one attempt. */
export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature'?: string;
}

/**
 * Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret,
 * space-separated, so a receiver holding either secret of a rotation verifies the request.
 * Without a secret the id and timestamp are still sent, unsigned.
 */
export function signatureHeaders(
  messageId: string,
  timestamp: Date,
  body: string,
  secrets: readonly string[],
): SignatureHeaders {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const headers: SignatureHeaders = { 'webhook-id': messageId, 'webhook-timestamp': seconds };
  if (secrets.length === 0) return headers;
  const signed = `${messageId}.${seconds}.${body}`;
  headers['webhook-signature'] = secrets
    .map((secret) => {
      const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    })
    .join(' ');
  return headers;
}
