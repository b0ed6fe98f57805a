import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The headers helmet sets with these options, read once. Helmet's headers do not depend on the
 * request (no CSP nonces here), so every answer can carry the same set without running helmet
 * per request; @fastify/helmet even rebuilds helmet on every request (~40 µs each, measured
 * with npm run bench).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | string[]) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => (finished = true));
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return headers;
}

/**
 * Pages: Swagger UI (/docs) and the dashboard (/ui), whatever lies under them (their scripts,
 * styles and images). Everything else is the API: JSON, metrics text and event streams.
 */
const PAGE_PATH = /^\/(docs|ui)(\/|\?|$)/;

/**
 * The headers OWASP's REST Security Cheat Sheet asks of API answers, and helmet's value for
 * the one they share. An API answer is never a page: it needs no source at all (`default-src
 * 'none'`) and may not be framed; helmet's other headers (Referrer-Policy, the cross-origin
 * opener and agent-cluster headers, X-XSS-Protection, X-DNS-Prefetch-Control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies) only act on documents a browser
 * renders, and Node validates and writes each of them on every answer.
 */
function apiHeaders(pageHeaders: Record<string, string>): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'strict-transport-security': pageHeaders['strict-transport-security'],
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/**
 * Security headers on every answer, computed once: helmet's full set on the pages, the API set
 * on everything else. Swagger UI loads its scripts from /docs itself and uses inline styles and
 * data: images, all of which helmet's default CSP allows.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const pageHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: true,
      // TLS ends at the proxy in front of the service: on a plain-HTTP deployment this directive
      // would make browsers fetch /docs' own scripts over https and break Swagger UI.
      directives: { upgradeInsecureRequests: null },
    },
  });
  const answerHeaders = apiHeaders(pageHeaders);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(PAGE_PATH.test(request.url) ? pageHeaders : answerHeaders);
    done();
  });
}
