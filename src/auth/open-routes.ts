/**
 * The only routes that answer without an API key: orchestrator probes must work without
 * secrets. Everything else (every /api route, /docs, and any route added later) needs a key
 * when API_KEYS is set, so a new endpoint is protected unless it is listed here on purpose.
 * The dashboard's static files under /ui (no data in them) are served outside Nest and stay
 * open too: the page asks for a key and sends it with every /api call.
 */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/live']);

/** Swagger UI and the OpenAPI document: Fastify routes of SwaggerModule, not Nest handlers. */
export function isDocsRoute(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && /^\/docs(?:[-/]|$)/.test(routeUrl);
}
