import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** The error answers an endpoint can give, documented with the shared error body. */
export function ApiErrors(...statuses: (400 | 404 | 409)[]): MethodDecorator & ClassDecorator {
  const documented = {
    400: ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; the message names the field.' }),
    404: ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such resource.' }),
    409: ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'Conflicts with the current state; nothing changed.',
    }),
  };
  return applyDecorators(
    ...statuses.map((status) => documented[status]),
    ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Database unavailable; retry later.' }),
  );
}
