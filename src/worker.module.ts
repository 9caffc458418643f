import { Global, Module } from '@nestjs/common';
import { CacheModule } from './cache/cache.module';
import { EventsModule } from './common/events/events.module';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { EMBEDDED_URL } from './database/embedded-postgres';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { PhotosModule } from './photos/photos.module';
import { StorageModule } from './storage/storage.module';

@Global()
@Module({ providers: [{ provide: AppConfig, useFactory: () => AppConfig.forWorker(EMBEDDED_URL) }], exports: [AppConfig] })
class WorkerConfigModule {}

/** What a worker process needs: the database, the queue, storage, the cache (to retire tags), and the job handlers. */
@Module({ imports: [WorkerConfigModule, EventsModule, MetricsModule, DatabaseModule, CacheModule, JobsModule, StorageModule, PhotosModule] })
export class WorkerModule {}
