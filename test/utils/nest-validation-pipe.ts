import { BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';

/*
 * The reference CompiledValidationPipe is held to (src/http/compiled-validation.pipe.spec.ts):
 * Nest's ValidationPipe with the service's rules. Strict validation everywhere: unknown fields
 * are rejected, types are not coerced (except in query strings, where DTOs say so), and every
 * message names its field.
 */

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      prefix && message.startsWith(error.property) ? `${prefix}.${message}` : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Strict validation everywhere: unknown fields are rejected, types are not coerced (except in
 * query strings, where DTOs say so), and every message names its field.
 */
export function createNestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
  });
}
