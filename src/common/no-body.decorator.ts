import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * For actions that take no body (start, retry): none, `null` or `{}` is fine, anything else is a
 * 400 naming each field, as for every other endpoint. Without it a field such as `worker_id`
 * would be silently ignored. A param decorator rather than @Body() keeps Swagger body-less.
 */
export const NoBody = createParamDecorator((_data: unknown, context: ExecutionContext): void => {
  const body = context.switchToHttp().getRequest<FastifyRequest>().body;
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException(['this action takes no request body (send none or {})']);
  }
  const fields = Object.keys(body);
  if (fields.length > 0) throw new BadRequestException(fields.map((field) => `property ${field} should not exist`));
});
