import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Where `npm run build` puts the dashboard (ui/dist), from src/dashboard or dist/dashboard alike. */
export const DASHBOARD_ROOT = path.resolve(__dirname, '..', '..', 'ui', 'dist');

/** Hashed file names never change content: cached for a year, never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET /ui: the dashboard, served by the service itself (no CDN). The page (index.html, tiny,
 * read once) is revalidated on every load so a deployment shows at once; the hashed bundles
 * under /ui/assets are immutable and sent pre-compressed (.br/.gz written at build time). None
 * of it carries data, so it is open like a login page: every figure comes from /api with the
 * key. Security headers (CSP included) come from the global hook in http-hardening.ts.
 */
export async function serveDashboard(app: NestFastifyApplication, root = DASHBOARD_ROOT): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const indexFile = path.join(root, 'index.html');
  fastify.get('/ui', (_request, reply) => void reply.redirect('/ui/', 301));
  if (!existsSync(indexFile)) {
    const notBuilt = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The dashboard is not built: run npm run build',
    };
    fastify.get('/ui/*', (_request, reply) => void reply.code(503).send(notBuilt));
    return;
  }
  const index = readFileSync(indexFile);
  // Own route: @fastify/static answers 404 for a directory index when preCompressed is on.
  fastify.get('/ui/', (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index),
  );
  await app.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/ui/assets/',
    decorateReply: false,
    preCompressed: true,
    index: false,
    cacheControl: false,
    setHeaders: (reply) => void reply.header('cache-control', IMMUTABLE),
  });
}
