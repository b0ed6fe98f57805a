import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Environment } from '../config/environment';

/** Headers a browser client may send and read: everything the contract uses. */
const CORS_REQUEST_HEADERS = ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'];
const CORS_RESPONSE_HEADERS = [
  'Location',
  'X-Request-Id',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

function corsOrigins(env: Environment): string[] {
  return (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

/** CORS for the origins in CORS_ORIGINS only (@fastify/cors, through Nest). */
export function enableCors(app: NestFastifyApplication, env: Environment): void {
  const origins = corsOrigins(env);
  // No origins configured: no CORS headers at all, so browsers keep the same-origin policy.
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_RESPONSE_HEADERS,
    // Keys travel in headers, never in cookies.
    credentials: false,
    maxAge: 600,
  });
}
