import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** Error answers an endpoint names; the ones every protected route can give are added by ApiErrors. */
const DESCRIBED = {
  400: 'Invalid input; the message names the field.',
  404: 'No such resource.',
  409: 'Conflicts with the current state; nothing changed.',
  413: 'The body is over 1 MiB; nothing changed.',
  415: 'The body is not JSON (Content-Type must be application/json); nothing changed.',
  422: 'The stored data cannot serve this request; the message says why.',
} as const;

/** What any route but the open probes can answer, depending on the configuration. */
const EVERY_PROTECTED_ROUTE = {
  401: 'Missing or invalid API key (when API_KEYS is set).',
  429: 'Rate limit exceeded (when RATE_LIMIT_PER_MINUTE is set); retry after Retry-After seconds.',
  503: 'Database unavailable; retry later.',
} as const;

/** The error answers an endpoint can give, documented with the shared error body. */
export function ApiErrors(...statuses: (keyof typeof DESCRIBED)[]): MethodDecorator & ClassDecorator {
  const answers: [number, string][] = [
    ...statuses.map((status): [number, string] => [status, DESCRIBED[status]]),
    ...Object.entries(EVERY_PROTECTED_ROUTE).map(([status, description]): [number, string] => [
      Number(status),
      description,
    ]),
  ];
  return applyDecorators(
    ...answers
      .sort(([a], [b]) => a - b)
      .map(([status, description]) => ApiResponse({ status, type: ErrorResponseDto, description })),
  );
}

/** The answers of a route that needs no database but sits behind the API key and the rate limit. */
export function ApiAccessErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...([401, 429] as const).map((status) =>
      ApiResponse({ status, type: ErrorResponseDto, description: EVERY_PROTECTED_ROUTE[status] }),
    ),
  );
}

/** A POST with a JSON body: what Fastify refuses before validation, besides the endpoint's own errors. */
export const BODY_ERRORS = [400, 413, 415] as const;
