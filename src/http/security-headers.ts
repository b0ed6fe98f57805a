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
    setHeader: (name: string, value: string | number | string[]) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => (finished = true));
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return headers;
}

/**
 * Security headers on every answer (helmet's, computed once). Swagger UI loads its scripts from
 * /docs itself and uses inline styles and data: images, all of which helmet's default CSP allows.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: true,
      // TLS ends at the proxy in front of the service: on a plain-HTTP deployment this directive
      // would make browsers fetch /docs' own scripts over https and break Swagger UI.
      directives: { upgradeInsecureRequests: null },
    },
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });
}
