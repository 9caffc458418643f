import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync } from 'node:fs';
import { AppConfig } from '../config/app-config';

/**
 * GET /media/... for the local storage driver: files never change once written (a new photo gets a
 * new id), so they are cached for a year as immutable, with ETags and Range requests.
 */
export async function registerMediaRoute(app: NestFastifyApplication): Promise<void> {
  const { storage } = app.get(AppConfig);
  if (storage.driver !== 'local') return;
  mkdirSync(storage.mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: storage.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    etag: true,
    acceptRanges: true,
  });
}
