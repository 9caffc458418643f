import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadLocalEnvFile } from './config/app-config';
import { createRootLogger, PinoNestLogger } from './logging/root-logger';
import { PhotosWorker } from './photos/photos.worker';
import { WorkerModule } from './worker.module';

/** `npm run worker` / `node dist/src/worker.js`: background jobs in their own process, scaled apart from the API. */
async function bootstrap(): Promise<void> {
  loadLocalEnvFile();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(new PinoNestLogger(createRootLogger(app.get(AppConfig))));
  app.enableShutdownHooks();
  await app.get(PhotosWorker).start();
  new Logger('Worker').log('worker running: photo processing');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
