import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Environment } from '../config/environment';
import { ApiKeys, MISSING_KEY_MESSAGE } from './api-keys';
import { OPEN_ROUTES } from './open-routes';

const ONE_MINUTE_MS = 60_000;

/**
 * The rate limit (RATE_LIMIT_PER_MINUTE) and the API-key check, as one Fastify onRequest hook on
 * every route but the probes: /api, /metrics and SwaggerModule's /docs routes alike (which Nest
 * guards never see). onRequest runs before the body is read, so a client without a key gets its
 * 401 (counted by the limit) whatever it sends, never a 400, 413 or 415 that would tell it
 * about the body, and an unauthenticated body is never parsed.
 *
 * A client is its valid API key (by digest, so the key itself is never a map key), otherwise its
 * IP: requests with a wrong key count against the IP, which slows down anyone guessing keys.
 * The limit comes first so that guesses are limited too. Hits are counted by @nestjs/throttler's
 * in-memory storage (per instance, a sliding minute).
 */
@Injectable()
export class AccessControl implements OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();
  private readonly limit: number;
  private readonly limitMessage: string;

  constructor(
    private readonly keys: ApiKeys,
    env: Environment,
  ) {
    this.limit = env.RATE_LIMIT_PER_MINUTE;
    this.limitMessage = `Rate limit exceeded: at most ${this.limit} requests per minute; retry after the number of seconds in Retry-After`;
  }

  register(fastify: FastifyInstance): void {
    if (this.limit === 0 && !this.keys.enabled) return;
    fastify.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      // No route: a 404 either way. OPTIONS: CORS preflights carry no key. Probes: always open.
      if (route === undefined || request.method === 'OPTIONS' || OPEN_ROUTES.has(route)) return;
      const key = this.keys.match(request.headers);
      if (this.limit > 0 && !(await this.withinLimit(request, reply, key))) return;
      if (!this.keys.enabled || key) return;
      await reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ statusCode: 401, error: 'Unauthorized', message: MISSING_KEY_MESSAGE });
    });
  }

  /** Counts the request; false (after answering 429) when the client used its minute. */
  private async withinLimit(request: FastifyRequest, reply: FastifyReply, key: Buffer | undefined): Promise<boolean> {
    const client = key ? `key:${key.toString('hex')}` : `ip:${request.ip}`;
    const hits = await this.storage.increment(client, ONE_MINUTE_MS, this.limit, ONE_MINUTE_MS, 'default');
    if (hits.isBlocked) {
      await reply
        .code(429)
        .header('Retry-After', String(hits.timeToBlockExpire))
        .send({ statusCode: 429, error: 'Too Many Requests', message: this.limitMessage });
      return false;
    }
    void reply.headers({
      'X-RateLimit-Limit': this.limit,
      'X-RateLimit-Remaining': Math.max(0, this.limit - hits.totalHits),
      'X-RateLimit-Reset': hits.timeToExpire,
    });
    return true;
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}
