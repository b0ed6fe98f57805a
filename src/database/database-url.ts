import type { Environment } from '../config/environment';

/** Where the database is: DATABASE_URL wins; otherwise the DB_* parts. */
export interface DatabaseTarget {
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  username?: string;
  password?: string;
}

export function databaseTarget(env: Environment): DatabaseTarget {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  return {
    host: env.DB_HOST,
    port: env.DB_PORT,
    database: env.DB_NAME ?? 'postgres',
    username: env.DB_USER ?? 'postgres',
    password: env.DB_PASSWORD,
  };
}

/** A connection string safe to log: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database url>';
  }
}
