import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MigrationExecutor, QueryFailedError } from 'typeorm';
import { isPostgresError } from '../common/postgres-errors';
import { Environment } from '../config/environment';

/** Arbitrary, fixed: the advisory lock every instance of this service takes to migrate. */
const MIGRATION_LOCK_KEY = 727_364_001;
/** SQLSTATE lock_not_available: lock_timeout expired. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Applies pending migrations at start (unless DB_MIGRATIONS_RUN=false). The advisory lock makes
 * instances starting together take turns: the first migrates, the others then find nothing to do.
 *
 * Everything runs on one connection of its own session settings: no statement timeout (the
 * request bound DB_STATEMENT_TIMEOUT_MS would fail a long index build, or a wait for another
 * instance's migration), and DB_MIGRATION_LOCK_TIMEOUT_MS as the lock_timeout of the wait for
 * the advisory lock, so an instance behind a stuck migration stops with a clear message.
 */
@Injectable()
export class MigrationsService implements OnModuleInit {
  private readonly logger = new Logger(MigrationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.env.DB_MIGRATIONS_RUN) return;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      await runner.query('SET statement_timeout = 0');
      await runner.query(`SET lock_timeout = ${Math.trunc(this.env.DB_MIGRATION_LOCK_TIMEOUT_MS)}`);
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]).catch((error: unknown) => {
        const cause = error instanceof QueryFailedError ? error.driverError : error;
        if (!isPostgresError(cause) || cause.code !== LOCK_NOT_AVAILABLE) throw error;
        throw new Error(
          `another instance held the migration lock for longer than DB_MIGRATION_LOCK_TIMEOUT_MS ` +
            `(${this.env.DB_MIGRATION_LOCK_TIMEOUT_MS} ms): is a migration stuck?`,
        );
      });
      locked = true;
      // The migrations' own lock waits keep the server's default.
      await runner.query('RESET lock_timeout');
      const executor = new MigrationExecutor(this.dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      if (applied.length > 0) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      if (locked) await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      // Back to the pool's settings before the connection serves requests.
      await runner.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
      await runner.release();
    }
  }
}
