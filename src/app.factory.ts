import fastifyCompress from '@fastify/compress';
import fastifyMultipart from '@fastify/multipart';
import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { constants } from 'node:zlib';
import { AppModule } from './app.module';
import { SessionsService } from './auth/sessions/sessions.service';
import { registerCachedHitShortcut } from './cache/cached-hit-shortcut';
import { ResponseCacheInterceptor } from './cache/response-cache.interceptor';
import { answerClientError, answerFrameworkError } from './common/errors/framework-errors';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { BROTLI_QUALITY, COMPRESS_THRESHOLD_BYTES } from './common/http/compression';
import { corsOptions } from './common/http/cors';
import { MultipartGuard } from './common/http/multipart';
import { BODY_LIMIT_BYTES, registerJsonBodyParser } from './common/http/json-body-parser';
import { AppValidationPipe } from './common/validation/app-validation.pipe';
import { AppConfig } from './config/app-config';
import { setupDocs } from './docs/openapi';
import { createRootLogger, PinoNestLogger, requestIdOf } from './logging/root-logger';
import { registerRequestLog } from './logging/request-log';
import { Lifecycle } from './health/lifecycle';
import { registerMediaRoute } from './storage/media-route';

// Fastify: about twice the requests/s of Express on this workload (measured before choosing it).
// trustProxy only behind a proxy: otherwise X-Forwarded-For would let clients pick their rate-limit IP.
export function createAdapter(config: AppConfig, logDestination?: DestinationStream): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: toFastifyTrust(config.trustProxy),
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    loggerInstance: createRootLogger(config, logDestination),
    // One line per request, written by registerRequestLog, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdOf,
  });
}

// Fastify 5 fails closed on a bare hop count (trusts nothing), so N hops is spelled as proxy-addr's
// trust function: the socket peer and the N-1 entries before it are proxies, the next one is the client.
function toFastifyTrust(trust: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export async function createApp(): Promise<NestFastifyApplication> {
  const adapter = createAdapter(AppConfig.fromEnv());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bodyParser: false, bufferLogs: true });
  return configureApp(app);
}

/** Everything global: logging, CORS, compression, body parsing, URL layout, validation, errors, docs. Shared with the e2e tests. */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log as Logger));
  registerRequestLog(fastify);
  // Draining (SIGTERM): every answer closes its connection, so clients reconnect to another instance.
  const lifecycle = app.get(Lifecycle);
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (lifecycle.draining) void reply.header('Connection', 'close');
    done();
  });
  app.enableCors(corsOptions(config));
  registerCachedHitShortcut(fastify, app.get(ResponseCacheInterceptor), app.get(SessionsService, { strict: false }), config.rateLimits.read > 0);
  await app.register(fastifyCompress, {
    global: true,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
  registerJsonBodyParser(fastify);
  // Photo uploads: one file part, streamed (the service reads it; nothing is buffered here).
  await app.register(fastifyMultipart, { limits: { fileSize: config.photos.maxBytes, files: 1, parts: 2, fields: 1, headerPairs: 50 } });
  await registerMediaRoute(app);
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalGuards(new MultipartGuard(app.get(Reflector)));
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupDocs(app);
  return app;
}
