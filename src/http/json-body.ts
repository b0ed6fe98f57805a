import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import { findJsonProblem } from '../common/storable-text';
import { BODY_LIMIT_BYTES } from './fastify-adapter';

/**
 * JSON is the one content type accepted (Nest's form-body parser is off: `bodyParser: false`).
 * An empty body with a JSON content type means "no body" (curl -X POST -H 'content-type: …');
 * anything but JSON (forms, text/plain) is a 415, not a body the DTOs half-understand; JSON too
 * deep, not finite or not storable is a 400 naming the field (findJsonProblem).
 *
 * Parsed by JSON.parse itself, not Fastify's secure-json-parse: findJsonProblem walks every
 * key anyway and refuses `__proto__` and `constructor.prototype` in that same pass, naming the
 * key (Fastify's parser answered both with "not valid JSON"); secure-json-parse's extra scan of
 * the text cost about 4 µs a request. Malformed JSON keeps Fastify's own error and message.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    let parsed: unknown;
    try {
      const text = body.toString('utf8');
      // A leading byte order mark is not JSON, but secure-json-parse skipped it: so does this.
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
    // Before anything else walks it: too deep, not finite, not storable or poisoned is a 400.
    const problem = findJsonProblem(parsed);
    if (!problem) return done(null, parsed);
    done(Object.assign(new Error(problem.message), { statusCode: 400 }), undefined);
  });
}
