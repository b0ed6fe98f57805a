import { InvalidEnvironmentError, validateEnvironment } from './environment';

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

  it('names a malformed variable', () => {
    expect(problemsOf({ PORT: 'eighty' }).join('\n')).toMatch(/PORT/);
    expect(problemsOf({ DB_POOL_MAX: '0' }).join('\n')).toMatch(/DB_POOL_MAX/);
    expect(problemsOf({ DB_MIGRATIONS_RUN: 'maybe' }).join('\n')).toMatch(/DB_MIGRATIONS_RUN/);
    expect(problemsOf({ NODE_ENV: 'staging' }).join('\n')).toMatch(/NODE_ENV/);
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

  it('refuses production without API keys unless auth is disabled on purpose', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toMatch(/API_KEYS must be set/);
    expect(problemsOf({ NODE_ENV: 'production', API_KEYS: 'k1' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_DISABLED: 'true' })).toEqual([]);
  });

  it('splits API_KEYS on commas and ignores blanks', () => {
    expect(validateEnvironment({ API_KEYS: ' a , b,,c ' }).apiKeys).toEqual(['a', 'b', 'c']);
  });
});
