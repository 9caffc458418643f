import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { answerFrameworkError } from './common/errors/framework-errors';
import { BODY_LIMIT_BYTES, registerJsonBodyParser } from './common/http/json-body-parser';
import { AppValidationPipe } from './common/validation/app-validation.pipe';
import { AppConfig } from './config/app-config';
import { setupDocs } from './docs/openapi';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

// Fastify: about twice the requests/s of Express on this workload (measured before choosing it).
// trustProxy only behind a proxy: otherwise X-Forwarded-For would let clients pick their rate-limit IP.
export function createAdapter(trustProxy: false | number | string[] = false): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: toFastifyTrust(trustProxy), frameworkErrors: answerFrameworkError });
}

// Fastify 5 fails closed on a bare hop count (trusts nothing), so N hops is spelled as proxy-addr's
// trust function: the socket peer and the N-1 entries before it are proxies, the next one is the client.
function toFastifyTrust(trust: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export async function createApp(): Promise<NestFastifyApplication> {
  const adapter = createAdapter(AppConfig.fromEnv().trustProxy);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bodyParser: false, bufferLogs: true });
  return configureApp(app);
}

/** Everything global: body parsing, URL layout, validation, errors, docs. Shared with the e2e tests. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get(AppConfig);
  app.useLogger(LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1));
  registerJsonBodyParser(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  setupDocs(app);
  return app;
}
