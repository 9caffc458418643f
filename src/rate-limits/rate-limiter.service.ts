import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { closeRedisClient, createResilientRedisClient, type RedisClient } from '../common/redis-client';
import { AppConfig } from '../config/app-config';
import type { RateLimitName } from './rate-limit-policy';

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and, when refused, until a retry can succeed). */
  resetSeconds: number;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

/**
 * Fixed one-minute windows per bucket, counted once for every instance: rate-limiter-flexible's
 * RateLimiterRedis increments and reads a bucket in one Lua script. While Redis is away each
 * instance counts on its own in memory (the library's insurance limiter): limits loosen to N× for
 * the outage, and no request fails because the limiter cannot be reached.
 */
@Injectable()
export class RateLimiterService implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly limiters = new Map<RateLimitName, Limiter>();
  private readonly redis?: RedisClient;
  private countingLocally = false;

  constructor(config: AppConfig) {
    const limits: Record<RateLimitName, number> = config.rateLimits;
    if (config.cache.redisUrl) this.redis = createResilientRedisClient(config.cache.redisUrl, 'RateLimits');
    for (const name of Object.keys(limits) as RateLimitName[]) {
      if (limits[name] === 0) continue; // off
      const options = { points: limits[name], duration: 60, keyPrefix: `${config.cache.keyPrefix}:rate:${name}` };
      const memory = new RateLimiterMemory(options);
      this.limiters.set(name, this.redis ? new RateLimiterRedis({ ...options, storeClient: this.redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : memory);
    }
  }

  /** Whether this limit is on (READ_RATE_LIMIT=0 turns reads off): checked first, so an unlimited request costs nothing. */
  counts(name: RateLimitName): boolean {
    return this.limiters.has(name);
  }

  /** Counts one request against the bucket; undefined when that limit is off. */
  async consume(name: RateLimitName, key: string): Promise<RateLimitState | undefined> {
    const limiter = this.limiters.get(name);
    if (!limiter) return undefined;
    this.noteWhereCounted();
    try {
      return state(limiter.points, await limiter.consume(key), true);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return state(limiter.points, refusal, false);
      throw refusal; // not a refusal: a bug, and the library already fell back for store errors
    }
  }

  private noteWhereCounted(): void {
    if (!this.redis) return;
    const local = !this.redis.isReady;
    if (local && !this.countingLocally) this.logger.warn('rate limits are counted per instance (in memory) until Redis returns');
    if (!local && this.countingLocally) this.logger.log('rate limits are counted in Redis again, across instances');
    this.countingLocally = local;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedisClient(this.redis);
  }
}

function state(limit: number, result: RateLimiterRes, allowed: boolean): RateLimitState {
  return { allowed, limit, remaining: Math.max(0, result.remainingPoints), resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
}
