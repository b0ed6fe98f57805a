import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by global-setup for every test worker. */
export function testServerUrl(): string {
  const url = process.env.TEST_SERVER_URL;
  if (!url) throw new Error('TEST_SERVER_URL is not set: run the tests through jest (global-setup)');
  return url;
}

export function runPrefix(): string {
  return process.env.TEST_RUN_PREFIX ?? 'ma_test';
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file: a copy of the run's template, which global-setup built
 * with the real migrations. Dropped with the run in global-teardown.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const name = `${runPrefix()}_${randomBytes(4).toString('hex')}`;
  const template = options.empty ? 'template0' : `${runPrefix()}_template`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return databaseUrl(name);
}
