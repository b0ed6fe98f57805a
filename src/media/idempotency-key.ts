import { BadRequestException } from '@nestjs/common';

const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;

/**
 * The optional `Idempotency-Key` header, validated. Read by the controller from the request
 * rather than through a param decorator: every decorated parameter costs a request an execution
 * context and the global pipe's promise chain, for a header no pipe needs to see.
 */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) || !VISIBLE_ASCII.test(raw)) {
    throw new BadRequestException(['Idempotency-Key must be 1 to 255 visible ASCII characters']);
  }
  return raw;
}
