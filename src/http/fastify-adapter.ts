import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The request id: the caller's X-Request-Id when sane, otherwise a new UUID. */
function requestId(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/**
 * Errors Fastify's router raises before any hook or Nest handler runs (a malformed
 * percent-encoding, a path segment over 100 characters), in the NestJS error shape. Either way
 * the path id cannot be a UUID, which the contract answers with 400.
 */
function rejectMalformedUrl(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'Malformed URL';
  void reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
}

/** The Fastify server's own options: what happens before the pipeline's first hook. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestId,
    // Requests that arrive during shutdown are still served (with Connection: close), never 503.
    return503OnClosing: false,
    frameworkErrors: rejectMalformedUrl,
    // No Nest middleware runs here (request logging is a Fastify hook, nestjs-pino's middleware
    // is off): without @fastify/middie, no hook of its own on every request.
    skipMiddie: true,
  });
}
