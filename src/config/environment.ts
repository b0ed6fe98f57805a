import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

// Reads the raw variable (obj[key]): implicit conversion would already have turned 'false' into true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(normalised)) return true;
  if (['false', '0', 'no'].includes(normalised)) return false;
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the service reads. Validated once at start: a wrong value stops
 * the service with a message naming the variable (never its value, which may be a secret).
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DB_HOST?: string;

  @IsInt()
  @Min(1)
  @Max(65535)
  DB_PORT: number = 5432;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DB_NAME?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DB_USER?: string;

  @IsOptional()
  @IsString()
  DB_PASSWORD?: string;

  /** Matches the design document's pool_size=10 + max_overflow=20. */
  @IsInt()
  @Min(1)
  @Max(1000)
  DB_POOL_MAX: number = 30;

  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS: number = 5000;

  @IsInt()
  @Min(0)
  @Max(86_400_000)
  DB_IDLE_TIMEOUT_MS: number = 30_000;

  /** Matches the design document's pool_recycle=3600. */
  @IsInt()
  @Min(0)
  @Max(604_800)
  DB_MAX_LIFETIME_S: number = 3600;

  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS: number = 30_000;

  @Transform(toBoolean)
  @IsBoolean()
  DB_MIGRATIONS_RUN: boolean = true;

  @IsBoolean()
  @Transform(toBoolean)
  DB_SSL: boolean = false;

  @IsString()
  EMBEDDED_PG_DATA_DIR: string = '.data/postgres';

  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  @IsOptional()
  @IsString()
  API_KEYS?: string;

  @Transform(toBoolean)
  @IsBoolean()
  AUTH_DISABLED: boolean = false;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 0;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS: number = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  @IsInt()
  @Min(100)
  @Max(3_600_000)
  LEASE_SWEEP_INTERVAL_MS: number = 5000;

  /** True when any database variable is set; otherwise the embedded PostgreSQL is used. */
  get databaseConfigured(): boolean {
    return Boolean(this.DATABASE_URL || this.DB_HOST);
  }

  get apiKeys(): string[] {
    return (this.API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key.length > 0);
  }
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses and validates raw environment variables; throws naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const environment = plainToInstance(Environment, raw, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(environment, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  if (environment.NODE_ENV === 'production' && environment.apiKeys.length === 0 && !environment.AUTH_DISABLED) {
    problems.push(
      'API_KEYS must be set when NODE_ENV=production (or set AUTH_DISABLED=true to run without authentication on purpose)',
    );
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return environment;
}
