import { type DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Environment, validateEnvironment } from '../config/environment';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { OPEN_ROUTES } from './open-routes';

const ONE_MINUTE_MS = 60_000;

/**
 * Access to the service: API keys (API_KEYS) and the per-client rate limit
 * (RATE_LIMIT_PER_MINUTE). The throttler guard runs first, so that requests with a wrong key
 * are limited too (per IP).
 *
 * A dynamic module, read when the app is created (as AppConfigModule is): a guard whose feature
 * is off is not installed at all, since every installed guard costs each request an execution
 * context and a few awaits even when it lets everything through.
 */
@Module({})
export class AuthModule {
  static forRoot(): DynamicModule {
    const env = validateEnvironment(process.env);
    const guards: Provider[] = [];
    if (env.RATE_LIMIT_PER_MINUTE > 0) guards.push({ provide: APP_GUARD, useClass: ClientThrottlerGuard });
    if (env.apiKeys.length > 0) guards.push({ provide: APP_GUARD, useClass: ApiKeyGuard });
    return {
      module: AuthModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [Environment],
          useFactory: (env: Environment) => ({
            throttlers: [{ ttl: ONE_MINUTE_MS, limit: env.RATE_LIMIT_PER_MINUTE }],
            // Probes are never limited.
            skipIf: (context) => OPEN_ROUTES.has(context.switchToHttp().getRequest().routeOptions?.url ?? ''),
            errorMessage: `Rate limit exceeded: at most ${env.RATE_LIMIT_PER_MINUTE} requests per minute; retry after the number of seconds in Retry-After`,
          }),
        }),
      ],
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
        ...guards,
      ],
      exports: [ApiKeys],
    };
  }
}
