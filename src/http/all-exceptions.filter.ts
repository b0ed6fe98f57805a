import { STATUS_CODES } from 'node:http';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError, DomainError, InvalidInputError } from '../common/errors';
import { httpStatusForPostgresError, isConnectionError, isPostgresError } from '../common/postgres-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const DOMAIN_STATUS: Record<DomainError['kind'], HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const UNSUPPORTED_MEDIA_TYPE = 'Unsupported Media Type: bodies are JSON only (Content-Type: application/json)';

function body(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: REASON[statusCode] ?? STATUS_CODES[statusCode] ?? 'Error', message };
}

/** The report Terminus throws when a check fails ({status: 'error', info, error, details}). */
function healthReport(exception: unknown): object | undefined {
  if (!(exception instanceof ServiceUnavailableException)) return undefined;
  const response = exception.getResponse() as { status?: unknown; details?: unknown } | string;
  return typeof response === 'object' && response.status === 'error' && typeof response.details === 'object'
    ? response
    : undefined;
}

/**
 * The one place where failures become HTTP answers: Nest's HTTP exceptions as they are, domain
 * errors by kind, PostgreSQL errors by SQLSTATE, and anything else as a bare 500 that leaks no
 * SQL, stack or connection string (the detail goes to the log with the request id).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // GET /health promises the report itself on 503 (which check is down), not an error body.
    const report = healthReport(exception);
    if (report) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', '5').send(report);
      return;
    }
    const answer = this.toErrorBody(exception, request);
    if (answer.statusCode === HttpStatus.SERVICE_UNAVAILABLE) reply.header('Retry-After', '5');
    void reply.status(answer.statusCode).send(answer);
  }

  toErrorBody(exception: unknown, request?: FastifyRequest): ErrorBody {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const status = exception.getStatus();
      // Fastify's own text ("Unsupported Media Type") names no remedy.
      if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return body(status, UNSUPPORTED_MEDIA_TYPE);
      if (typeof response === 'object' && response !== null) {
        const { message } = response as { message?: string | string[] };
        return body(status, message ?? exception.message);
      }
      return body(status, String(response));
    }
    if (exception instanceof DomainError) {
      if (exception instanceof DatabaseUnavailableError) this.logUnavailable(exception.cause, request);
      // Invalid input answers a list of messages, as every 400 of the validation pipe does.
      const message = exception instanceof InvalidInputError ? exception.problems : exception.message;
      return body(DOMAIN_STATUS[exception.kind], message);
    }
    const driverError = exception instanceof QueryFailedError ? exception.driverError : exception;
    if (isConnectionError(driverError)) {
      this.logUnavailable(driverError, request);
      return body(HttpStatus.SERVICE_UNAVAILABLE, new DatabaseUnavailableError().message);
    }
    if (isPostgresError(driverError)) {
      const mapped = httpStatusForPostgresError(driverError);
      if (mapped) return body(mapped.status, mapped.message);
    }
    // Fastify's own errors (malformed JSON, body too large, bad content type) carry a 4xx.
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return body(fastifyStatus, (exception as Error).message);
    }
    this.logger.error(
      { err: exception, reqId: request?.id, route: request?.url },
      `Unhandled error on ${request?.method ?? ''} ${request?.url ?? ''}`,
    );
    return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }

  private logUnavailable(cause: unknown, request?: FastifyRequest): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.logger.warn({ reqId: request?.id }, `Database unavailable: ${reason}`);
  }
}
