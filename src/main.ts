import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { InvalidEnvironmentError, readEnvironment } from './config/environment';
import type { EmbeddedPostgres } from './database/embedded-postgres';
import { EMBEDDED_POSTGRES } from './database/embedded-postgres.module';
import { flushLogs } from './logging/log-destination';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Bootstrap');
  // Fail fast, before Nest starts, with one message naming each bad variable.
  const env = readEnvironment();
  const app = await createApp(env);
  const embedded = app.get<EmbeddedPostgres | null>(EMBEDDED_POSTGRES);
  await app.listen(env.PORT, env.HOST);
  logger.log(`media-analysis-api listening on http://${env.HOST}:${env.PORT} (Swagger UI at /docs)`);
  flushLogs();

  // Graceful stop: refuse new connections, let in-flight requests finish (up to
  // SHUTDOWN_GRACE_MS), close the pool, then stop the embedded PostgreSQL if we started it.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: shutting down`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${env.SHUTDOWN_GRACE_MS} ms: exiting`);
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
    deadline.unref();
    // A keep-alive connection busy at the signal becomes idle once its answer is sent, and
    // would then hold the close until the client drops it (Keep-Alive: timeout=72): close
    // connections as they become idle. (Fastify closes only those idle at the signal.)
    const server = app.getHttpServer() as Server;
    setInterval(() => server.closeIdleConnections(), 100).unref();
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable and never print its value.
  const message =
    error instanceof InvalidEnvironmentError ? error.message : `Failed to start: ${(error as Error)?.stack ?? error}`;
  console.error(message);
  process.exit(1);
});
