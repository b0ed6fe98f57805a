import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { Environment } from '../config/environment';
import { requestLineWriter, type RequestOutcome } from './request-line';

/**
 * One log line per request (method, route, status, duration, request id), from a Fastify
 * onResponse hook on nestjs-pino's own pino instance rather than its pino-http middleware: that
 * middleware and the AsyncLocalStorage it enters cost about 20 µs per request (measured with
 * npm run bench), and request-scoped context is not needed here (errors are logged with the
 * request id explicitly).
 */
export function logEachRequest(fastify: FastifyInstance, level: Environment['LOG_LEVEL']): void {
  // Made at the first request: PinoLogger.root is the logger of the app that started last.
  let writeLine: ((outcome: RequestOutcome) => void) | undefined;
  // At trace level, a line when a request is taken, before anything can fail: with the
  // "completed" line it shows whether a request the client saw fail ever reached the service.
  // LOG_LEVEL is fixed for the life of the process: hooks whose lines it drops are not added.
  if (level === 'trace') {
    fastify.addHook('onRequest', (request, _reply, done) => {
      PinoLogger.root.trace({ reqId: request.id, method: request.method }, 'request received');
      done();
    });
  }
  if (!(pino.levels.values[level] <= pino.levels.values.info)) return; // silent has no value
  fastify.addHook('onResponse', (request, reply, done) => {
    writeLine ??= requestLineWriter(PinoLogger.root);
    writeLine({
      reqId: request.id,
      method: request.method,
      url: request.url,
      route: request.routeOptions.url ?? null,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    });
    done();
  });
}
