import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** The OpenAPI document of the app's controllers: served at /docs-json, written to openapi.json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
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
    .addTag('events', 'Job events: the ordered record of every change, listed or streamed live')
    .addTag('webhooks', 'Signed, retried deliveries of job events to your URLs (Standard Webhooks)')
    .addTag('stats', 'The queue at a glance, for the dashboard')
    .addTag('health', 'Readiness and liveness')
    .addTag('operations', 'Prometheus metrics')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key from API_KEYS' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    // Relative: Swagger UI's "Try it out" calls the origin that served it.
    .addServer('/', 'This service')
    .build();
  // Proprietary (package.json: UNLICENSED); a license without a url, which DocumentBuilder cannot write.
  config.info.license = { name: 'UNLICENSED' };
  return SwaggerModule.createDocument(app, config);
}

/** One operation of the document (the package's own type is not exported by name). */
export type OpenApiOperation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Each documented operation by its Fastify route key ("GET /api/jobs/:id"). */
export function operationsByRoute(document: OpenAPIObject): Map<string, OpenApiOperation> {
  const operations = new Map<string, OpenApiOperation>();
  for (const [path, item] of Object.entries(document.paths)) {
    const url = path.replace(/\{(\w+)\}/g, ':$1');
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) operations.set(`${method.toUpperCase()} ${url}`, operation);
    }
  }
  return operations;
}

/**
 * Calls `configure` for each /api route Fastify registers, with its route key: how the
 * document's rules are attached to routes. Must be called before the routes are registered
 * (app.init).
 */
export function onApiRoute(fastify: FastifyInstance, configure: (route: RouteOptions, key: string) => void): void {
  fastify.addHook('onRoute', (route) => {
    if (!route.url?.startsWith('/api/') || Array.isArray(route.method)) return;
    configure(route, `${route.method as string} ${route.url}`);
  });
}
