import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Times every request by its route pattern (not its URL, which would explode the label set). */
export function timeEachRequest(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  });
}
