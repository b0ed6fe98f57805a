import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ENCRYPTED_PREFIX = 'enc:v1:';
const KEY_BYTES = 32;

/** True for base64 of exactly 32 bytes: an AES-256 key. */
export function isSecretsKey(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === KEY_BYTES;
}

/**
 * Signing secrets at rest. With a key (WEBHOOK_SECRETS_KEY) they are sealed with AES-256-GCM,
 * so a database dump alone does not reveal them; without one they are stored as they are. Both
 * forms are read back, so setting the key later needs no migration (existing rows stay in
 * clear until rotated).
 */
export class SecretBox {
  private readonly key?: Buffer;

  constructor(base64Key?: string) {
    if (base64Key !== undefined) {
      if (!isSecretsKey(base64Key)) throw new Error('the secrets key must be base64 of 32 bytes');
      this.key = Buffer.from(base64Key, 'base64');
    }
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  seal(secret: string): string {
    if (!this.key) return secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  open(stored: string): string {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored;
    if (!this.key) throw new Error('a webhook secret is encrypted but WEBHOOK_SECRETS_KEY is not set');
    const raw = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
