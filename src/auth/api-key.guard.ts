import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeys, MISSING_KEY_MESSAGE } from './api-keys';
import { OPEN_ROUTES } from './open-routes';

/** Global guard (APP_GUARD): every route but the open ones needs a valid API key when keys are set. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The matched route pattern, not the raw URL: a query string or an encoding cannot dodge it.
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return true;
    if (this.keys.allows(request.headers)) return true;
    void context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException(MISSING_KEY_MESSAGE);
  }
}
