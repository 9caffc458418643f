import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { RateLimiterService } from './rate-limiter.service';

/** Shared rate limits (Redis when REDIS_URL is set), applied to every request by a global interceptor. */
@Module({
  providers: [RateLimiterService, { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor }],
})
export class RateLimitsModule {}
