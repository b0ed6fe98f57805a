import 'reflect-metadata';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { isSecretsKey } from '../webhooks/secret-box';
import { isSigningSecret } from '../webhooks/signing';

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

  /** Loopback unless configured (empty counts as unset): a development instance is not served to the network. */
  @Transform(({ value }: { value: unknown }) => (value === '' || value === undefined ? '127.0.0.1' : value))
  @IsString()
  HOST: string = '127.0.0.1';

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

  /**
   * How long an instance waits at start for another one's migration to finish (the advisory
   * lock) before it stops; 0 waits forever. Migrations themselves run without a statement timeout.
   */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  DB_MIGRATION_LOCK_TIMEOUT_MS: number = 600_000;

  /** TLS to the database, always with the server certificate verified. */
  @IsBoolean()
  @Transform(toBoolean)
  DB_SSL: boolean = false;

  /** PEM file of the CA that signed the database's certificate, when not a system CA. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  DB_SSL_CA?: string;

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

  /** How long job events are kept before the cleanup deletes them (default 7 days). */
  @IsInt()
  @Min(1)
  @Max(87_600)
  EVENTS_RETENTION_HOURS: number = 168;

  /** How often each instance deletes expired events (in batches; instances may overlap). */
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  EVENTS_CLEANUP_INTERVAL_MS: number = 60_000;

  /** The `: keep-alive` comment period of event streams. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  EVENTS_KEEP_ALIVE_MS: number = 15_000;

  /** Seconds between delivery attempts after the first (fractions allowed), one per retry. */
  @Matches(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 5,30,120',
  })
  WEBHOOK_RETRY_SCHEDULE: string = '5,30,120,600,1800,3600,7200,14400,28800';

  @IsInt()
  @Min(100)
  @Max(300_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** Deliveries one instance sends at once. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY: number = 64;

  /** Deliveries one instance sends at once to one host (host:port). */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_HOST_CONCURRENCY: number = 16;

  /** How often each instance looks for due deliveries. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS: number = 250;

  /** Comma-separated host names (or IP addresses) that may be loopback or private targets. */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_HOSTS?: string;

  /** base64 of 32 bytes: the AES-256-GCM key that seals signing secrets in the database. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @ValidateBy(
    { name: 'isSecretsKey', validator: { validate: (value) => typeof value === 'string' && isSecretsKey(value) } },
    { message: 'WEBHOOK_SECRETS_KEY must be base64 of 32 bytes (openssl rand -base64 32)' },
  )
  WEBHOOK_SECRETS_KEY?: string;

  /** Signs per-job callbacks (whsec_ + base64); unsigned when unset. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @ValidateBy(
    {
      name: 'isSigningSecret',
      validator: { validate: (value) => typeof value === 'string' && isSigningSecret(value) },
    },
    { message: 'WEBHOOK_CALLBACK_SECRET must be whsec_ followed by base64 of at least 24 bytes' },
  )
  WEBHOOK_CALLBACK_SECRET?: string;

  get webhookAllowedHosts(): string[] {
    return (this.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host.length > 0);
  }

  /** WEBHOOK_RETRY_SCHEDULE in milliseconds. */
  get webhookRetryScheduleMs(): number[] {
    return this.WEBHOOK_RETRY_SCHEDULE.split(',').map((seconds) => Math.round(Number(seconds) * 1000));
  }

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

/**
 * The shortest API key accepted: 32 characters is 128 bits as hex (`openssl rand -hex 16`), the
 * least a secret guessed online against a service should carry. A shorter key is typed by hand
 * or cut short, and the rate limit alone does not make it safe.
 */
export const MIN_API_KEY_LENGTH = 32;

/** The API_KEYS value of .env.example: a copied placeholder, never a key. */
const PLACEHOLDER_API_KEY = 'replace-with-a-long-random-key';

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Rules across variables; messages name variables, never their values. */
function crossChecks(env: Environment): string[] {
  const problems: string[] = [];
  const keys = env.apiKeys;
  if (keys.includes(PLACEHOLDER_API_KEY)) {
    problems.push(
      'API_KEYS holds the placeholder of .env.example: replace it with a random key (openssl rand -hex 32)',
    );
  }
  if (keys.some((key) => key !== PLACEHOLDER_API_KEY && key.length < MIN_API_KEY_LENGTH)) {
    problems.push(`API_KEYS: every key must be at least ${MIN_API_KEY_LENGTH} characters (openssl rand -hex 32)`);
  }
  if (env.NODE_ENV === 'production' && keys.length === 0 && !env.AUTH_DISABLED) {
    problems.push(
      'API_KEYS must be set when NODE_ENV=production (or set AUTH_DISABLED=true to run without authentication on purpose)',
    );
  }
  if (env.NODE_ENV === 'production' && !env.databaseConfigured) {
    problems.push(
      'DATABASE_URL (or DB_HOST) must be set when NODE_ENV=production: the embedded PostgreSQL is for development only',
    );
  }
  if (env.DB_SSL_CA !== undefined) {
    if (!env.DB_SSL) problems.push('DB_SSL_CA is set but DB_SSL is not true');
    else if (!readable(env.DB_SSL_CA)) problems.push('DB_SSL_CA must name a readable file (a PEM certificate)');
  }
  return problems;
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
  problems.push(...crossChecks(environment));
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return environment;
}

/**
 * The service's environment, read and validated once per process (main.ts, the TypeORM CLI):
 * the variables of `envFile` when it exists, under those already set (a file never overrides
 * the environment). process.env itself is left alone; the result is what gets injected.
 */
export function readEnvironment(envFile = '.env'): Environment {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return validateEnvironment({ ...fromFile, ...process.env });
}
