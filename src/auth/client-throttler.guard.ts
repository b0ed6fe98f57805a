import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiKeys } from './api-keys';

/**
 * RATE_LIMIT_PER_MINUTE per client across all routes. A client is its valid API key (by digest,
 * so the key itself is never a map key), otherwise its IP: requests with a wrong key count
 * against the IP, which also slows down anyone guessing keys.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  // Property injection: the parent's constructor already takes the throttler's own providers.
  @Inject(ApiKeys) private readonly apiKeys: ApiKeys;

  protected override async getTracker(request: FastifyRequest): Promise<string> {
    const digest = this.apiKeys.match(request.headers);
    return digest ? `key:${digest.toString('hex')}` : `ip:${request.ip}`;
  }

  /** One bucket per client, not one per client and route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
