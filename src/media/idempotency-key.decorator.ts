import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) || !VISIBLE_ASCII.test(raw)) {
    throw new BadRequestException(['Idempotency-Key must be 1 to 255 visible ASCII characters']);
  }
  return raw;
}

/** The optional `Idempotency-Key` header, validated. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseIdempotencyKey(context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key']),
);
