import { HttpStatus } from '@nestjs/common';

/** A PostgreSQL error as node-postgres reports it (SQLSTATE in `code`). */
export interface PostgresError {
  code: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

export function isPostgresError(error: unknown): error is PostgresError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
  );
}

/** Node socket errors that mean the server is unreachable. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (!isPostgresError(error)) return false;
  // 08: connection exception, 57P01-03: server shutting down, 53300: too many connections.
  return error.code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(error.code);
}

/**
 * HTTP status and a client-safe message for a PostgreSQL error, by SQLSTATE (never by message
 * text). Undefined when the error is not one a client caused.
 */
export function httpStatusForPostgresError(error: PostgresError): { status: HttpStatus; message: string } | undefined {
  const where = error.constraint ?? error.column;
  switch (error.code) {
    case '23505':
      return { status: HttpStatus.CONFLICT, message: `Duplicate value${where ? ` (${where})` : ''}` };
    case '23503':
      return { status: HttpStatus.NOT_FOUND, message: `Referenced row not found${where ? ` (${where})` : ''}` };
    case '23514':
      return { status: HttpStatus.BAD_REQUEST, message: `Value violates ${where ?? 'a check constraint'}` };
    case '23502':
      return { status: HttpStatus.BAD_REQUEST, message: `${error.column ?? 'A required field'} must not be null` };
    case '22P02':
      return { status: HttpStatus.BAD_REQUEST, message: 'Invalid input syntax' };
    case '22001':
      return { status: HttpStatus.BAD_REQUEST, message: 'Value too long' };
    case '22P05':
    case '22021':
      return {
        status: HttpStatus.BAD_REQUEST,
        message: 'Text contains characters PostgreSQL cannot store (such as \\u0000)',
      };
    case '22003':
      return { status: HttpStatus.BAD_REQUEST, message: 'Numeric value out of range' };
    case '57014':
      return { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'Query timed out, try again shortly' };
    default:
      if (error.code.startsWith('22')) return { status: HttpStatus.BAD_REQUEST, message: 'Invalid input' };
      return undefined;
  }
}
