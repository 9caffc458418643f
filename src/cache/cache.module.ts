import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CacheMetrics } from './cache-metrics';
import { CacheService } from './cache.service';
import { InvalidationRelay } from './invalidation-relay';
import { ResponseCacheInterceptor } from './response-cache.interceptor';
import { ResponseCacheService } from './response-cache.service';

@Global()
@Module({
  providers: [CacheService, ResponseCacheService, CacheMetrics, InvalidationRelay, { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor }],
  exports: [CacheService, ResponseCacheService],
})
export class CacheModule {}
