import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { S3Settings } from '../storage/s3-media-storage';
import { type Environment, parseCorsOrigins, parseEnvironment, parseTrustProxy } from './environment';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** Typed, grouped view of the validated environment: the only way code reads configuration. */
export class AppConfig {
  readonly production: boolean;
  readonly port: number;
  readonly trustProxy: false | number | string[];
  readonly appUrl: string;
  readonly logLevel: LogLevel;
  readonly logFormat: 'json' | 'pretty';
  /** Browser origins allowed to call the API (CORS). */
  readonly corsOrigins: '*' | string[];
  /** Templates of the e-mailed links, with `{token}` where the token goes. */
  readonly links: { confirm: string; reset: string };
  readonly database: { url?: string; runMigrations: boolean; embeddedDir: string; poolMax: number };
  readonly cache: { redisUrl?: string; keyPrefix: string; ttlSeconds: number; timeoutMs: number; allowBypass: boolean; generationWatch: boolean };
  readonly mail: { smtpUrl?: string; from: string; outboxDir: string; retryMs: number; pollMs: number; retentionDays: number };
  readonly photos: { maxBytes: number; perPost: number; maxPixels: number };
  readonly storage:
    | { driver: 'local'; mediaDir: string; publicBaseUrl: string }
    | { driver: 's3'; mediaDir: string; s3: S3Settings };
  /** Whether this API process runs the background jobs (photo processing) itself. */
  readonly inlineWorkers: boolean;
  readonly jobs: { timeoutSeconds: number; workerMetricsPort: number };
  readonly auth: {
    jwtSecret: string;
    passwordPepper?: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    bcryptRounds: number;
    /** Password hashes computed at once (the rest queue). */
    hashConcurrency: number;
  };
  /** Requests a minute: per client IP on /auth, per account on writes, per client IP on anonymous reads (0 = none). */
  readonly rateLimits: { auth: number; write: number; read: number };
  /** SIGTERM: ready turns 503 for `delayMs` while requests are still served, then in-flight ones get `graceMs`. */
  readonly shutdown: { delayMs: number; graceMs: number };

  constructor(env: Environment) {
    const dataDir = resolve(env.DATA_DIR);
    this.production = env.NODE_ENV === 'production';
    this.port = env.PORT;
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.appUrl = env.APP_URL.replace(/\/+$/, '');
    this.logLevel = env.LOG_LEVEL as LogLevel;
    this.logFormat = (env.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (this.production ? 'json' : 'pretty');
    this.corsOrigins =
      env.CORS_ORIGINS !== undefined
        ? parseCorsOrigins(env.CORS_ORIGINS)
        : this.production
          ? []
          : [...new Set([new URL(this.appUrl).origin, 'http://localhost:5173', 'http://localhost:3000'])];
    this.links = {
      confirm: env.CONFIRM_URL ?? `${this.appUrl}/api/v1/auth/confirm?token={token}`,
      reset: env.RESET_URL ?? `${this.appUrl}/reset-password?token={token}`,
    };
    this.database = {
      url: env.DATABASE_URL,
      runMigrations: env.MIGRATIONS_RUN === 'on',
      poolMax: env.DATABASE_POOL_MAX,
      embeddedDir: resolve(dataDir, 'postgres'),
    };
    this.cache = {
      redisUrl: env.REDIS_URL,
      keyPrefix: env.CACHE_KEY_PREFIX,
      ttlSeconds: env.CACHE_TTL,
      timeoutMs: env.CACHE_TIMEOUT_MS,
      allowBypass: env.CACHE_BYPASS === 'on',
      generationWatch: env.CACHE_GENERATION_WATCH === 'on',
    };
    this.mail = {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      outboxDir: resolve(dataDir, 'outbox'),
      retryMs: env.MAIL_RETRY_MS,
      pollMs: env.MAIL_POLL_MS,
      retentionDays: env.MAIL_RETENTION_DAYS,
    };
    const mediaDir = resolve(dataDir, 'media');
    const mediaBaseUrl = env.MEDIA_BASE_URL?.replace(/\/+$/, '');
    this.storage =
      env.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            mediaDir,
            s3: {
              bucket: env.S3_BUCKET!,
              region: env.S3_REGION,
              endpoint: env.S3_ENDPOINT,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              publicBaseUrl:
                mediaBaseUrl ??
                (env.S3_ENDPOINT ? `${env.S3_ENDPOINT.replace(/\/+$/, '')}/${env.S3_BUCKET}` : `https://${env.S3_BUCKET}.s3.${env.S3_REGION}.amazonaws.com`),
            },
          }
        : { driver: 'local', mediaDir, publicBaseUrl: mediaBaseUrl ?? `${this.appUrl}/media` };
    this.photos = {
      maxBytes: env.PHOTO_MAX_BYTES,
      perPost: env.PHOTOS_PER_POST,
      // Decompression bombs: a 10 000 × 10 000 image is the most a worker decodes.
      maxPixels: 100_000_000,
    };
    this.inlineWorkers = (env.WORKERS ?? (this.production ? 'off' : 'inline')) === 'inline';
    this.jobs = { timeoutSeconds: env.JOB_TIMEOUT, workerMetricsPort: env.WORKER_METRICS_PORT };
    this.auth = {
      jwtSecret: env.JWT_SECRET ?? developmentSecret(),
      passwordPepper: env.PASSWORD_PEPPER,
      accessTtlSeconds: env.JWT_TTL,
      refreshTtlSeconds: env.REFRESH_TTL,
      bcryptRounds: env.BCRYPT_ROUNDS,
      hashConcurrency: env.HASH_CONCURRENCY ?? Math.max(1, availableParallelism() - 1),
    };
    this.rateLimits = { auth: env.AUTH_RATE_LIMIT, write: env.WRITE_RATE_LIMIT, read: env.READ_RATE_LIMIT };
    this.shutdown = { delayMs: env.SHUTDOWN_DELAY_MS, graceMs: env.SHUTDOWN_GRACE_MS };
  }

  static fromEnv(source: Record<string, string | undefined> = process.env): AppConfig {
    return new AppConfig(parseEnvironment(source));
  }

  /**
   * The worker process (`npm run worker`): the same environment, except that without DATABASE_URL
   * it joins the embedded server the API started (`embeddedUrl`) rather than starting its own.
   */
  static forWorker(embeddedUrl: string, source: Record<string, string | undefined> = process.env): AppConfig {
    return AppConfig.fromEnv({ ...source, DATABASE_URL: source.DATABASE_URL || embeddedUrl });
  }
}

let devSecret: string | undefined;
// Outside production a missing JWT_SECRET gets a per-process random one: safe, but tokens die on restart.
function developmentSecret(): string {
  if (!devSecret) {
    devSecret = randomBytes(32).toString('hex');
    new Logger('Config').warn('JWT_SECRET is not set: using a random secret, tokens will not survive a restart');
  }
  return devSecret;
}

/** Loads `.env` from the working directory when present: a development convenience. */
export function loadLocalEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
