/**
 * The only routes that answer without an API key: orchestrator probes must work without
 * secrets, and the dashboard's page and bundles under /ui hold no data (the page asks for a key
 * and sends it with every /api call). Everything else (every /api route, /docs, and any route
 * added later) needs a key when API_KEYS is set, so a new endpoint is protected unless it is
 * listed here on purpose.
 */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/live', '/ui', '/ui/', '/ui/assets/*']);

/** Swagger UI and the OpenAPI document: Fastify routes of SwaggerModule, not Nest handlers. */
export function isDocsRoute(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && /^\/docs(?:[-/]|$)/.test(routeUrl);
}
