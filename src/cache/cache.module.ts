import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CacheMetrics } from './cache-metrics';
import { CacheService } from './cache.service';
import { GenerationWatch } from './generation-watch';
import { InvalidationRelay } from './invalidation-relay';
import { ResponseCacheInterceptor } from './response-cache.interceptor';
import { ResponseCacheService } from './response-cache.service';

@Global()
@Module({
  providers: [
    CacheService,
    GenerationWatch,
    ResponseCacheService,
    CacheMetrics,
    InvalidationRelay,
    ResponseCacheInterceptor,
    // One instance: the interceptor that learns which routes are cacheable also serves the shortcut.
    { provide: APP_INTERCEPTOR, useExisting: ResponseCacheInterceptor },
  ],
  exports: [CacheService, ResponseCacheService, ResponseCacheInterceptor],
})
export class CacheModule {}
