import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, loadLocalEnvFile } from './config/app-config';
import { shutDownGracefully, stopOnSignals } from './health/graceful-shutdown';

async function bootstrap(): Promise<void> {
  loadLocalEnvFile();
  const app = await createApp();
  const config = app.get(AppConfig);
  stopOnSignals((reason, delayMs) => shutDownGracefully(app, reason, delayMs), config);
  await app.listen(config.port, '0.0.0.0');
  const logger = new Logger('Bootstrap');
  logger.log(`Chop-chop API on http://localhost:${config.port}/api/v1 — docs at /docs and /redoc`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
