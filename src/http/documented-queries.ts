import { BadRequestException } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { onApiRoute, operationsByRoute } from './openapi-document';

/** The query parameters each documented operation takes, by Fastify route ("GET /api/jobs"). */
export function documentedQueries(document: OpenAPIObject): Map<string, ReadonlySet<string>> {
  const queries = new Map<string, ReadonlySet<string>>();
  for (const [route, operation] of operationsByRoute(document)) {
    const names = (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
    queries.set(route, new Set(names));
  }
  return queries;
}

/**
 * An /api request carrying a query parameter its operation does not document is a 400 naming
 * it, on every route: those without a query DTO (GET /api/jobs/{id}?x=1) too, and names such
 * as `__proto__` or `constructor` that the validation pipe would otherwise drop silently.
 * Fastify's query object has no prototype, so such a name is an own key like any other.
 * Must be called before the routes are registered (app.init).
 */
export function rejectUndocumentedQueries(fastify: FastifyInstance, document: OpenAPIObject): void {
  const queries = documentedQueries(document);
  onApiRoute(fastify, (route, key) => {
    const known = queries.get(key);
    if (!known) return;
    const check: preValidationHookHandler = (request, _reply, done) => {
      // for…in first: most requests have no query at all, and this allocates nothing for them.
      const query = request.query as Record<string, unknown>;
      let unknown: string[] | undefined;
      for (const name in query) if (!known.has(name)) (unknown ??= []).push(name);
      if (!unknown) return done();
      done(new BadRequestException(unknown.map((name) => `property ${name} should not exist`)));
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [...(Array.isArray(existing) ? existing : [existing]), check] : check;
  });
}
