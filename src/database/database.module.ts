import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { types } from 'pg';
import { Environment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';
import { databaseTarget } from './database-url';
import type { EmbeddedPostgres } from './embedded-postgres';
import { EMBEDDED_POSTGRES, EmbeddedPostgresModule } from './embedded-postgres.module';
import { MigrationsService } from './migrations.service';
import { SqlService } from './sql.service';

// bigint (file_size_bytes) as a JSON number, as the API promises; sizes stay below 2^53.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

@Global()
@Module({
  imports: [
    EmbeddedPostgresModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [Environment, EMBEDDED_POSTGRES],
      useFactory: (env: Environment, embedded: EmbeddedPostgres | null) => ({
        ...buildDataSourceOptions(env, embedded ? { url: embedded.url } : databaseTarget(env)),
        retryAttempts: env.NODE_ENV === 'test' ? 0 : 10,
        retryDelay: 3000,
      }),
    }),
  ],
  providers: [SqlService, MigrationsService],
  exports: [SqlService, EmbeddedPostgresModule],
})
export class DatabaseModule {}
