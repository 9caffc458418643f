import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { configureApp, createAdapter } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { createTestDatabase } from './databases';
import { HttpClient } from './http-client';
import { SmtpCapture } from './smtp-capture';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  smtp: SmtpCapture;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string | undefined>;
  /** Share another test app's database (several instances of one deployment); its SMTP capture too. */
  databaseUrl?: string;
  smtp?: SmtpCapture;
  /** Where the app's log lines go (default: stdout, at LOG_LEVEL fatal). */
  logDestination?: DestinationStream;
}

/**
 * The SMTP capture of each database's first app. Apps on one database run mail dispatchers on one
 * outbox, so any of them may send any mail: they all send to that capture (by database name, so a
 * URL through a proxy finds it too).
 */
const capturesByDatabase = new Map<string, SmtpCapture>();
const databaseName = (url: string): string => new URL(url).pathname;

/**
 * The real application over real HTTP: its own database cloned from the migrated template,
 * a real SMTP server in this process, Redis when REDIS_URL is set (else the memory store).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const shared = options.smtp ?? capturesByDatabase.get(databaseName(databaseUrl));
  const smtp = shared ?? new SmtpCapture();
  const smtpUrl = shared ? undefined : await smtp.start();
  if (database) capturesByDatabase.set(databaseName(databaseUrl), smtp);
  const dataDir = mkdtempSync(join(tmpdir(), 'chopchop-test-'));
  const config = AppConfig.fromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    MIGRATIONS_RUN: 'off',
    REDIS_URL: process.env.REDIS_URL,
    CACHE_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    // Instances sharing a capture must all send to it: any of them may dispatch any mail.
    SMTP_URL: smtpUrl ?? shared?.url,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    BCRYPT_ROUNDS: '4',
    MAIL_RETRY_MS: '50',
    MAIL_POLL_MS: '100',
    AUTH_RATE_LIMIT: '100000',
    WRITE_RATE_LIMIT: '100000',
    LOG_LEVEL: 'fatal',
    APP_URL: 'http://app.test',
    // Photos and outbox files of this app only.
    DATA_DIR: dataDir,
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = await configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config, options.logDestination), { bodyParser: false }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    http: new HttpClient(`http://127.0.0.1:${port}`),
    smtp,
    config,
    databaseUrl,
    async close() {
      await app.close();
      if (!shared) await smtp.stop();
      if (database) capturesByDatabase.delete(databaseName(databaseUrl));
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
