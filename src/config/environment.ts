import { plainToInstance, Transform } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  Min,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const URL_OPTIONS = { require_tld: false, require_protocol: true };

/**
 * Every environment variable the service reads, with its default.
 * `.env.example` and the README's configuration table list the same names.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  APP_URL = 'http://localhost:3000';

  @IsOptional()
  @Matches(/^https?:\/\/\S*\{token\}/, { message: 'CONFIRM_URL must be an http(s) URL template containing {token}' })
  CONFIRM_URL?: string = undefined;

  @IsOptional()
  @Matches(/^https?:\/\/\S*\{token\}/, { message: 'RESET_URL must be an http(s) URL template containing {token}' })
  RESET_URL?: string = undefined;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;

  /** off | on (one proxy hop) | a hop count | comma-separated proxy addresses or CIDRs: see parseTrustProxy. */
  @IsString()
  TRUST_PROXY = 'off';

  @IsIn(['on', 'off'])
  MIGRATIONS_RUN = 'on';

  /** Connections each process keeps to PostgreSQL at most. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  DATABASE_POOL_MAX = 20;

  @IsString()
  DATA_DIR = 'var';

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string = undefined;

  @IsString()
  @MinLength(1)
  CACHE_KEY_PREFIX = 'chopchop';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  CACHE_TTL = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  CACHE_TIMEOUT_MS = 150;

  @IsIn(['on', 'off'])
  CACHE_BYPASS = 'off';

  @IsIn(['on', 'off'])
  CACHE_GENERATION_WATCH = 'on';

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string = undefined;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Chop-chop <no-reply@chop-chop.local>';

  @Transform(toInt)
  @IsInt()
  @Min(10)
  MAIL_RETRY_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  MAIL_POLL_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_RETENTION_DAYS = 30;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'PASSWORD_PEPPER must be at least 32 characters' })
  PASSWORD_PEPPER?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  JWT_TTL = 900;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  REFRESH_TTL = 2_592_000;

  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 12;

  /** Requests a minute per client IP on /api/v1/auth/*, counted across all instances when Redis is shared. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT = 20;

  /** Writes a minute per account (POST/PUT/PATCH/DELETE outside /auth). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WRITE_RATE_LIMIT = 120;

  /** Anonymous reads a minute per client IP; 0 = no limit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  READ_RATE_LIMIT = 0;

  /** Password hashes (bcrypt) computed at once; unset = cores − 1, at least 1. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HASH_CONCURRENCY?: number = undefined;

  /** On SIGTERM: how long /health/ready answers 503 while new requests are still served (the load balancer notices). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_DELAY_MS = 5000;

  /** On SIGTERM, after the delay: how long requests in flight may take to finish before the process exits anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  /** json | pretty; unset = json in production, pretty elsewhere. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: string = undefined;

  /** Where photo files go: `local` (DATA_DIR/media, served at /media) or `s3` (any S3-compatible store). */
  @IsIn(['local', 's3'])
  STORAGE_DRIVER = 'local';

  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(3)
  S3_BUCKET?: string = undefined;

  @IsString()
  @MinLength(1)
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string = undefined;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string = undefined;

  /** Public base URL of the stored files (a CDN); unset = APP_URL/media (local) or the bucket's URL (s3). */
  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  MEDIA_BASE_URL?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  PHOTO_MAX_BYTES = 10 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PHOTOS_PER_POST = 10;

  /** Seconds a background job may run before it is taken to have died with its worker and runs again. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  JOB_TIMEOUT = 300;

  /** Port of the worker process's GET /metrics (`npm run worker`); 0 = none. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 9464;

  /** inline (the API process runs the background jobs) | off (only `npm run worker` does); unset = inline outside production. */
  @IsOptional()
  @IsIn(['inline', 'off'])
  WORKERS?: string = undefined;

  /** Comma-separated origins allowed to call the API from a browser, or `*`; see parseCorsOrigins. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string = undefined;
}

export class InvalidEnvironmentError extends Error {}

/** Parses and validates the environment once; throws naming every bad variable. */
export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const known = new Set(Object.keys(new Environment()));
  const defined = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => known.has(key) && value !== undefined && value !== ''),
  );
  const env = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const problems = validateSync(env, { whitelist: false }).map((error) => {
    const messages = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}: ${messages}`;
  });
  try {
    parseTrustProxy(env.TRUST_PROXY);
  } catch (error) {
    problems.push(`TRUST_PROXY: ${(error as Error).message}`);
  }
  try {
    if (env.CORS_ORIGINS !== undefined) parseCorsOrigins(env.CORS_ORIGINS);
  } catch (error) {
    problems.push(`CORS_ORIGINS: ${(error as Error).message}`);
  }
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  }
  if (problems.length > 0) {
    throw new InvalidEnvironmentError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return env;
}

/**
 * Which proxies' X-Forwarded-For entries to believe, in Fastify's `trustProxy` terms: `off` none;
 * `on` or a number N, the N nearest hops (the client address is the entry the N-th proxy appended,
 * never one a client made up in front of it); or a list of proxy addresses/CIDRs.
 */
export function parseTrustProxy(value: string): false | number | string[] {
  const text = value.trim();
  if (text === 'off') return false;
  if (text === 'on') return 1;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 16) throw new Error('a hop count must be 1 to 16');
    return hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new Error(`"${entry}" is not off, on, a hop count, or an IP address or CIDR`);
    }
  }
  return entries;
}

/** `*` (any origin: for public, read-mostly deployments) or a list of exact origins (`https://app.example`). */
export function parseCorsOrigins(value: string): '*' | string[] {
  const text = value.trim();
  if (text === '*') return '*';
  if (text === '') return [];
  return text.split(',').map((entry) => {
    const origin = entry.trim();
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new Error(`"${origin}" is not an origin like https://app.example or http://localhost:5173 (scheme, host and port only)`);
    }
    return origin;
  });
}
