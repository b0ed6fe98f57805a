import { Logger, Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { AccessControl } from './access-control';
import { ApiKeys } from './api-keys';

/**
 * Access to the service: API keys (API_KEYS) and the per-client rate limit
 * (RATE_LIMIT_PER_MINUTE), both enforced by AccessControl's Fastify hook, which createApp
 * registers before any route runs or any body is read.
 */
@Module({
  providers: [
    {
      provide: ApiKeys,
      inject: [Environment],
      useFactory: (env: Environment) => {
        const keys = new ApiKeys(env.apiKeys);
        // The count only: keys themselves never reach the log.
        const logger = new Logger('Auth');
        if (keys.enabled) logger.log(`API key authentication on (${env.apiKeys.length} key(s))`);
        else logger.warn('API key authentication off: API_KEYS is not set, every route is open');
        return keys;
      },
    },
    AccessControl,
  ],
  exports: [ApiKeys, AccessControl],
})
export class AuthModule {}
