import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { Environment } from '../config/environment';
import { bufferedStdout } from './log-destination';

/** Header and body fields whose values never reach the log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.DB_PASSWORD',
  '*.DATABASE_URL',
  '*.API_KEYS',
];

/** The service's pino options (also read by request-line.spec.ts, which holds the request line to them). */
export function pinoOptions(env: Pick<Environment, 'LOG_LEVEL' | 'NODE_ENV'>): PinoHttpOptions {
  return {
    level: env.LOG_LEVEL,
    transport:
      env.NODE_ENV === 'development'
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
        : undefined,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    // Fastify assigns the id (from X-Request-Id or generated) before middleware runs.
    genReqId: (req) => req.id ?? '',
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * nestjs-pino: JSON logs in production, readable ones in development; one line per request
 * with method, route, status, duration and the request id.
 *
 * The request line is written by logEachRequest (request-log.ts, installed by the HTTP
 * pipeline), not by nestjs-pino's pino-http middleware, which is off (`forRoutes: []`).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => {
        const options = pinoOptions(env);
        // pino-pretty's transport writes from a worker thread of its own; JSON goes to stdout in batches.
        return {
          pinoHttp: options.transport ? options : ([options, bufferedStdout()] as [PinoHttpOptions, DestinationStream]),
          forRoutes: [],
        };
      },
    }),
  ],
})
export class LoggingModule {}
