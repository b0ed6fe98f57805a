import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** The error answers an endpoint can give, documented with the shared error body. */
export function ApiErrors(...statuses: (400 | 404 | 409 | 422)[]): MethodDecorator & ClassDecorator {
  const documented = {
    400: ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; the message names the field.' }),
    404: ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such resource.' }),
    409: ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'Conflicts with the current state; nothing changed.',
    }),
    422: ApiUnprocessableEntityResponse({
      type: ErrorResponseDto,
      description: 'The stored data cannot serve this request; the message says why.',
    }),
  };
  return applyDecorators(
    ...statuses.map((status) => documented[status]),
    ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Database unavailable; retry later.' }),
  );
}
