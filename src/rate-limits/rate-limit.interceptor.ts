import { type CallHandler, type ExecutionContext, HttpException, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { from, type Observable, switchMap } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/sessions/access-token.guard';
import { rateLimitBucket } from './rate-limit-policy';
import { RateLimiterService } from './rate-limiter.service';

/**
 * Counts each request against its limit (see rateLimitBucket) and answers with the window's
 * state in RateLimit-Limit / -Remaining / -Reset; over the limit, 429 with Retry-After. An
 * interceptor, not a guard: it runs after authentication (writes are counted per account) and,
 * registered first (see AppModule), before the response cache (a cached read still counts).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(private readonly limiter: RateLimiterService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bucket = rateLimitBucket(request.method, request.routeOptions.url ?? request.url, request.ip, request.caller?.userId);
    if (!bucket || !this.limiter.counts(bucket.name)) return next.handle();
    return from(this.limiter.consume(bucket.name, bucket.key)).pipe(
      switchMap((state) => {
        if (!state) return next.handle();
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        void reply.header('RateLimit-Limit', state.limit).header('RateLimit-Remaining', state.remaining).header('RateLimit-Reset', state.resetSeconds);
        if (!state.allowed) {
          void reply.header('Retry-After', state.resetSeconds);
          throw new HttpException(`Too many requests: wait the number of seconds in Retry-After, then try again.`, HttpStatus.TOO_MANY_REQUESTS);
        }
        return next.handle();
      }),
    );
  }
}
