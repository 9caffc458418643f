import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadLocalEnvFile } from './config/app-config';
import { stopOnSignals, stopWorker } from './health/graceful-shutdown';
import { createRootLogger, PinoNestLogger } from './logging/root-logger';
import { serveMetrics } from './metrics/metrics-server';
import { MetricsRegistry } from './metrics/metrics.registry';
import { PhotosWorker } from './photos/photos.worker';
import { WorkerModule } from './worker.module';

/** `npm run worker` / `node dist/src/worker.js`: background jobs in their own process, scaled apart from the API. */
async function bootstrap(): Promise<void> {
  loadLocalEnvFile();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(new PinoNestLogger(createRootLogger(app.get(AppConfig))));
  await app.get(PhotosWorker).start();
  const config = app.get(AppConfig);
  const metrics = config.jobs.workerMetricsPort > 0 ? await serveMetrics(app.get(MetricsRegistry), config.jobs.workerMetricsPort) : undefined;
  stopOnSignals(async (reason) => {
    metrics?.server.close();
    await stopWorker(app, reason);
  }, config);
  new Logger('Worker').log(`worker running: photo processing${metrics ? `; metrics on :${metrics.port}/metrics` : ''}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
