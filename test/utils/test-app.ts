import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.setup';
import { validateEnvironment } from '../../src/config/environment';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  /** Direct access to the same database, for assertions through SQL. */
  db: Pool;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The real application (createApp, as main.ts builds it) on a database of its own, or on
 * `databaseUrl` to run several instances against one database.
 */
export async function startTestApp(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const raw: Record<string, string | undefined> = { ...process.env };
  for (const key of ['API_KEYS', 'AUTH_DISABLED', 'RATE_LIMIT_PER_MINUTE', 'CORS_ORIGINS']) delete raw[key];
  const env = validateEnvironment({
    ...raw,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ...options.env,
  });
  const app = await createApp(env);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = new Pool({ connectionString: databaseUrl, max: 4 });
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    databaseUrl,
    close: async () => {
      await app.close();
      await db.end();
    },
  };
}
