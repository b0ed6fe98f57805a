import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

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
