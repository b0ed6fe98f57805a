import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AccessControl } from './auth/access-control';
import { registerHttpHardening } from './auth/http-hardening';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { CompiledValidationPipe } from './common/compiled-validation.pipe';
import { rejectUndocumentedQueries } from './common/documented-queries';
import { serializeAnswersAsDocumented } from './common/documented-serializers';
import { findJsonProblem } from './common/storable-text';
import { Environment } from './config/environment';
import { serveDashboard } from './dashboard/dashboard-assets';

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

export function buildOpenApiDocument(app: NestFastifyApplication) {
  const config = new DocumentBuilder()
    .setTitle('media-analysis-api')
    .setDescription(
      'System of record for media analysis: submit video, audio and document jobs, let workers claim them, ' +
        'and store transcriptions, analysis results and media assets against each job.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addTag('media: video', 'Submit and read video analysis jobs')
    .addTag('media: audio', 'Submit and read audio analysis jobs')
    .addTag('media: document', 'Submit and read document analysis jobs')
    .addTag('jobs', 'All jobs: lists, lifecycle, claiming and worker leases')
    .addTag('media-assets', 'Files produced or used for a job')
    .addTag('transcriptions', 'Transcripts of a job from each provider')
    .addTag('analysis-results', 'LLM analyses of a job')
    .addTag('stats', 'The queue at a glance, for the dashboard')
    .addTag('health', 'Readiness and liveness')
    .addTag('operations', 'Prometheus metrics')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key from API_KEYS' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Creates the application exactly as production runs it (also used by the e2e tests). */
export async function createApp(): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestId,
    // Requests that arrive during shutdown are still served (with Connection: close), never 503.
    return503OnClosing: false,
    frameworkErrors: rejectMalformedUrl,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), adapter, {
    abortOnError: false,
    bufferLogs: true,
    // JSON only: no form-body parser (registered below, JSON is the one content type accepted).
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // An empty body with a JSON content type means "no body" (curl -X POST -H 'content-type: …').
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Anything but JSON (forms, text/plain) is a 415, not a body the DTOs half-understand.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    parseJson(request as Parameters<typeof parseJson>[0], body.toString('utf8'), (error, parsed) => {
      if (error) return done(error, undefined);
      // Before anything else walks it: too deep, not finite or not storable is a 400 naming the field.
      const problem = findJsonProblem(parsed);
      if (!problem) return done(null, parsed);
      done(Object.assign(new Error(problem.message), { statusCode: 400 }), undefined);
    });
  });
  app.useGlobalPipes(new CompiledValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  await registerHttpHardening(app, app.get(Environment));
  app.get(AccessControl).register(fastify);
  const document = buildOpenApiDocument(app);
  serializeAnswersAsDocumented(fastify, document);
  rejectUndocumentedQueries(fastify, document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await serveDashboard(app);
  return app;
}
