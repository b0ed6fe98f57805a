import type { FastifyInstance } from 'fastify';
import type { ApiKeys } from './api-keys';
import { MISSING_KEY_MESSAGE } from './api-keys';
import { isDocsRoute } from './open-routes';

/**
 * /docs and /docs-json are Fastify routes registered by SwaggerModule, which Nest guards never
 * see: this onRequest hook applies the same key check to them, with the same 401 answer.
 */
export function protectDocs(fastify: FastifyInstance, keys: ApiKeys): void {
  if (!keys.enabled) return;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isDocsRoute(request.routeOptions.url) || keys.allows(request.headers)) return;
    await reply
      .code(401)
      .header('WWW-Authenticate', 'Bearer')
      .send({ statusCode: 401, error: 'Unauthorized', message: MISSING_KEY_MESSAGE });
  });
}
