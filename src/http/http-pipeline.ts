import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AccessControl } from '../auth/access-control';
import type { Environment } from '../config/environment';
import { logEachRequest } from '../logging/request-log';
import { MetricsService } from '../metrics/metrics.service';
import { timeEachRequest } from '../metrics/request-metrics';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { CompiledValidationPipe } from './compiled-validation.pipe';
import { enableCors } from './cors';
import { rejectUndocumentedQueries } from './documented-queries';
import { serializeAnswersAsDocumented } from './documented-serializers';
import { acceptJsonBodiesOnly } from './json-body';
import { buildOpenApiDocument } from './openapi-document';
import { addSecurityHeaders } from './security-headers';
import { compileHandlerParameters } from './validated-parameters';

/**
 * Everything every request passes through, installed here and nowhere else. A request meets it
 * in this order:
 *
 *  1. Fastify's own options (fastify-adapter.ts): body limit, request id, malformed URL → 400.
 *  2. onRequest hooks, in the order added below: X-Request-Id echoed; security headers; access
 *     control (auth/access-control.ts: the rate limit, then the API key, on every route but the
 *     probes, before any body is read); then CORS, a Fastify plugin, whose hook is added when
 *     Fastify loads plugins at ready. With LOG_LEVEL=trace, a "request received" line.
 *  3. Body parsing: JSON only, bounded and storable (json-body.ts).
 *  4. preValidation: a query parameter the operation does not document is a 400
 *     (documented-queries.ts).
 *  5. The one global pipe: CompiledValidationPipe, whose DTOs are all compiled here, at start
 *     (compileHandlerParameters): one it cannot execute stops the start, named.
 *  6. The handler; its 2xx answer is serialized from its documented schema
 *     (documented-serializers.ts); any error is answered by AllExceptionsFilter.
 *  7. onResponse hooks: the request's log line, then its duration metric.
 *
 * Must run before app.init(): Fastify hooks and the serializers' onRoute hook have to be in
 * place before the routes are registered.
 */
export function installHttpPipeline(app: NestFastifyApplication, env: Environment): void {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  acceptJsonBodiesOnly(app);
  const validation = new CompiledValidationPipe();
  compileHandlerParameters(app.get(ModulesContainer), validation);
  app.useGlobalPipes(validation);
  app.useGlobalFilters(new AllExceptionsFilter());
  addSecurityHeaders(fastify);
  enableCors(app, env);
  app.get(AccessControl).register(fastify);
  const document = buildOpenApiDocument(app);
  serializeAnswersAsDocumented(fastify, document);
  rejectUndocumentedQueries(fastify, document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  logEachRequest(fastify, env.LOG_LEVEL);
  timeEachRequest(fastify, app.get(MetricsService));
}
