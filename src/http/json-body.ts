import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findJsonProblem } from '../common/storable-text';
import { BODY_LIMIT_BYTES } from './fastify-adapter';

/**
 * JSON is the one content type accepted (Nest's form-body parser is off: `bodyParser: false`).
 * An empty body with a JSON content type means "no body" (curl -X POST -H 'content-type: …');
 * anything but JSON (forms, text/plain) is a 415, not a body the DTOs half-understand; JSON too
 * deep, not finite or not storable is a 400 naming the field (findJsonProblem).
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
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
}
