import { BadRequestException } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';

/** The query parameters each documented operation takes, by Fastify route ("GET /api/jobs"). */
export function documentedQueries(document: OpenAPIObject): Map<string, ReadonlySet<string>> {
  const queries = new Map<string, ReadonlySet<string>>();
  for (const [path, item] of Object.entries(document.paths)) {
    const url = path.replace(/\{(\w+)\}/g, ':$1');
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const names = (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
      queries.set(`${method.toUpperCase()} ${url}`, new Set(names));
    }
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
  fastify.addHook('onRoute', (route) => {
    if (!route.url?.startsWith('/api/') || Array.isArray(route.method)) return;
    const known = queries.get(`${route.method} ${route.url}`);
    if (!known) return;
    const check: preValidationHookHandler = (request, _reply, done) => {
      const unknown = Object.keys(request.query as object).filter((name) => !known.has(name));
      if (unknown.length === 0) return done();
      done(new BadRequestException(unknown.map((name) => `property ${name} should not exist`)));
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [...(Array.isArray(existing) ? existing : [existing]), check] : check;
  });
}
