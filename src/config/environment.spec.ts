import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidEnvironmentError, MIN_API_KEY_LENGTH, readEnvironment, validateEnvironment } from './environment';

function problemsOf(raw: Record<string, string>): string[] {
  try {
    validateEnvironment(raw);
    return [];
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
}

describe('validateEnvironment', () => {
  it('applies the documented defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.DB_POOL_MAX).toBe(30);
    expect(env.DB_MAX_LIFETIME_S).toBe(3600);
    expect(env.DB_MIGRATIONS_RUN).toBe(true);
    expect(env.databaseConfigured).toBe(false);
    expect(env.EMBEDDED_PG_DATA_DIR).toBe('.data/postgres');
  });

  it('converts numbers and booleans from strings', () => {
    const env = validateEnvironment({
      PORT: '8080',
      DB_MIGRATIONS_RUN: 'false',
      DB_POOL_MAX: '10',
      AUTH_DISABLED: 'true',
    });
    expect(env.PORT).toBe(8080);
    expect(env.DB_MIGRATIONS_RUN).toBe(false);
    expect(env.DB_POOL_MAX).toBe(10);
    expect(env.AUTH_DISABLED).toBe(true);
  });

  it('keeps job events 168 hours by default and validates EVENTS_RETENTION_HOURS', () => {
    expect(validateEnvironment({}).EVENTS_RETENTION_HOURS).toBe(168);
    expect(validateEnvironment({ EVENTS_RETENTION_HOURS: '24' }).EVENTS_RETENTION_HOURS).toBe(24);
    for (const bad of ['0', '-1', '1.5', 'week', '87601']) {
      expect(problemsOf({ EVENTS_RETENTION_HOURS: bad }).join('\n')).toMatch(/EVENTS_RETENTION_HOURS/);
    }
    expect(problemsOf({ EVENTS_KEEP_ALIVE_MS: '10' }).join('\n')).toMatch(/EVENTS_KEEP_ALIVE_MS/);
  });

  it('names a malformed variable', () => {
    expect(problemsOf({ PORT: 'eighty' }).join('\n')).toMatch(/PORT/);
    expect(problemsOf({ DB_POOL_MAX: '0' }).join('\n')).toMatch(/DB_POOL_MAX/);
    expect(problemsOf({ DB_MIGRATIONS_RUN: 'maybe' }).join('\n')).toMatch(/DB_MIGRATIONS_RUN/);
    expect(problemsOf({ NODE_ENV: 'staging' }).join('\n')).toMatch(/NODE_ENV/);
  });

  it('reads the webhook settings and names a bad one without printing a secret', () => {
    const env = validateEnvironment({
      WEBHOOK_RETRY_SCHEDULE: '0.5, 2,10',
      WEBHOOK_ALLOWED_HOSTS: ' 127.0.0.1, n8n ,',
    });
    expect(env.webhookRetryScheduleMs).toEqual([500, 2000, 10000]);
    expect(env.webhookAllowedHosts).toEqual(['127.0.0.1', 'n8n']);
    expect(validateEnvironment({}).webhookRetryScheduleMs).toHaveLength(9);
    expect(problemsOf({ WEBHOOK_RETRY_SCHEDULE: '5,,30' }).join('\n')).toMatch(/WEBHOOK_RETRY_SCHEDULE/);
    expect(problemsOf({ WEBHOOK_TIMEOUT_MS: '5' }).join('\n')).toMatch(/WEBHOOK_TIMEOUT_MS/);
    const problems = problemsOf({ WEBHOOK_SECRETS_KEY: 'too-short-key', WEBHOOK_CALLBACK_SECRET: 'whsec_bm9wZQ==' });
    expect(problems.join('\n')).toMatch(/WEBHOOK_SECRETS_KEY[\s\S]*WEBHOOK_CALLBACK_SECRET/);
    expect(problems.join('\n')).not.toMatch(/too-short-key|bm9wZQ/);
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL without printing it', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://admin:s3cret-pw@db/x' });
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).not.toContain('s3cret-pw');
  });

  it('never prints a password in its message', () => {
    try {
      validateEnvironment({ DB_PASSWORD: 'hunter2-secret', PORT: '-1' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).not.toContain('hunter2-secret');
    }
  });

  it('treats DATABASE_URL or DB_HOST as a configured database', () => {
    expect(validateEnvironment({ DATABASE_URL: 'postgresql://u@h/db' }).databaseConfigured).toBe(true);
    expect(validateEnvironment({ DB_HOST: 'db.internal' }).databaseConfigured).toBe(true);
  });

  const KEY_A = 'a'.repeat(MIN_API_KEY_LENGTH);
  const KEY_B = 'b'.repeat(MIN_API_KEY_LENGTH);
  const DB = 'postgresql://u@h/db';

  it('refuses production without API keys unless auth is disabled on purpose', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: DB }).join('\n')).toMatch(/API_KEYS must be set/);
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: DB, API_KEYS: KEY_A })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: DB, AUTH_DISABLED: 'true' })).toEqual([]);
  });

  it('refuses production without a database: the embedded PostgreSQL is for development', () => {
    const problems = problemsOf({ NODE_ENV: 'production', API_KEYS: KEY_A });
    expect(problems).toEqual([
      expect.stringMatching(/DATABASE_URL \(or DB_HOST\) must be set when NODE_ENV=production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', API_KEYS: KEY_A, DB_HOST: 'db.internal' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
  });

  it('splits API_KEYS on commas and ignores blanks', () => {
    expect(validateEnvironment({ API_KEYS: ` ${KEY_A} , ${KEY_B},, ` }).apiKeys).toEqual([KEY_A, KEY_B]);
  });

  it(`refuses an API key shorter than ${MIN_API_KEY_LENGTH} characters, without printing it`, () => {
    const short = 'shortish-secret-key';
    const problems = problemsOf({ API_KEYS: `${KEY_A},${short}` });
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`API_KEYS.*at least ${MIN_API_KEY_LENGTH} characters`)),
    ]);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ API_KEYS: 'x'.repeat(MIN_API_KEY_LENGTH - 1) })).toHaveLength(1);
  });

  it('refuses the placeholder key of .env.example as a real key', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const placeholder = /^API_KEYS=(.*)$/m.exec(example)![1].trim();
    expect(placeholder.length).toBeGreaterThan(0);
    expect(problemsOf({ API_KEYS: `${KEY_A},${placeholder}` })).toEqual([
      expect.stringMatching(/API_KEYS holds the placeholder of \.env\.example/),
    ]);
  });

  it('binds to loopback unless HOST says otherwise', () => {
    expect(validateEnvironment({}).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('DB_SSL_CA: a readable file, and only with DB_SSL=true', () => {
    const ca = path.join(__dirname, 'environment.ts');
    expect(problemsOf({ DB_SSL: 'true', DB_SSL_CA: ca })).toEqual([]);
    expect(problemsOf({ DB_SSL: 'true', DB_SSL_CA: '/nonexistent/ca.pem' })).toEqual([
      expect.stringMatching(/DB_SSL_CA must name a readable file/),
    ]);
    expect(problemsOf({ DB_SSL_CA: ca })).toEqual([expect.stringMatching(/DB_SSL_CA is set but DB_SSL is not true/)]);
  });
});

describe('readEnvironment', () => {
  const envFile = path.join(mkdtempSync(path.join(tmpdir(), 'env-')), '.env');

  it('reads the file under the variables already set, and leaves process.env alone', () => {
    writeFileSync(envFile, 'LEASE_SWEEP_INTERVAL_MS=1234\nSHUTDOWN_GRACE_MS=999\n');
    const before = { ...process.env };
    process.env.SHUTDOWN_GRACE_MS = '4321';
    try {
      const env = readEnvironment(envFile);
      expect(env.LEASE_SWEEP_INTERVAL_MS).toBe(1234);
      expect(env.SHUTDOWN_GRACE_MS).toBe(4321);
      expect(process.env.LEASE_SWEEP_INTERVAL_MS).toBe(before.LEASE_SWEEP_INTERVAL_MS);
    } finally {
      if (before.SHUTDOWN_GRACE_MS === undefined) delete process.env.SHUTDOWN_GRACE_MS;
      else process.env.SHUTDOWN_GRACE_MS = before.SHUTDOWN_GRACE_MS;
    }
  });

  it('validates what the file says, naming the variable', () => {
    writeFileSync(envFile, 'EMBEDDED_PG_PORT=not-a-port\n');
    expect(() => readEnvironment(envFile)).toThrow(/EMBEDDED_PG_PORT/);
  });

  it('needs no file', () => {
    expect(readEnvironment(path.join(path.dirname(envFile), 'missing.env'))).toBeInstanceOf(Object);
  });

  it('is the only reader of process.env in the service', () => {
    // Allowed elsewhere: passing the environment through to PostgreSQL's own processes, and
    // the version npm sets for the OpenAPI document. Neither is configuration.
    const allowed = new Set(['config/environment.ts', 'database/embedded-postgres.ts', 'http/openapi-document.ts']);
    const src = path.join(__dirname, '..');
    const readers = (readdirSync(src, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .filter((file) => readFileSync(path.join(src, file), 'utf8').includes('process.env'))
      .filter((file) => !allowed.has(file));
    expect(readers).toEqual([]);
  });
});
