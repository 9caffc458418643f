import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '../common/concurrency/with-timeout';
import { AppConfig } from '../config/app-config';
import { type CacheBackend, createCacheBackend, type StoreKind } from './cache-store';

export interface CacheHealth {
  store: StoreKind;
  status: 'up' | 'degraded';
}

class CacheTimeoutError extends Error {}

/**
 * The only door to the cache store. Every call is bounded by CACHE_TIMEOUT_MS and never throws:
 * Redis is an accelerator, so a failed read is a miss and a failed write is logged and dropped.
 */
@Injectable()
export class CacheService implements OnApplicationShutdown {
  private readonly logger = new Logger(CacheService.name);
  private readonly backend: CacheBackend;
  private readonly prefix: string;
  private failing = false;

  /** Writes (increments, sets) that may have been lost while the store was failing: see onRecovery. */
  private lostWrites = false;
  private readonly recoveryListeners: (() => Promise<void>)[] = [];

  constructor(private readonly config: AppConfig) {
    this.backend = createCacheBackend(config.cache.redisUrl);
    this.prefix = `${config.cache.keyPrefix}:`;
    this.backend.onReconnect(() => void this.recover());
  }

  get defaultTtlSeconds(): number {
    return this.config.cache.ttlSeconds;
  }

  get kind(): StoreKind {
    return this.backend.kind;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.guard('get', () => this.backend.store.get<T>(this.prefix + key), undefined);
  }

  /** False when the store could not take it; the recovery listeners run once it answers again. */
  async set(key: string, value: unknown, ttlSeconds = this.config.cache.ttlSeconds): Promise<boolean> {
    const done = await this.guard('set', () => this.backend.store.set(this.prefix + key, value, ttlSeconds * 1000).then(() => true), false);
    if (!done) this.lostWrites = true;
    return done;
  }

  /** Sets the value only where the key holds none (atomic against `set`); false when it did not, or on failure. */
  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    return this.guard('setnx', () => this.backend.setIfAbsent(this.prefix + key, value, ttlSeconds * 1000), false);
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.guard('del', () => Promise.all(keys.map((k) => this.backend.store.del(this.prefix + k))), undefined);
  }

  /** Raw strings, several keys in one round trip; undefined for missing keys or a failing store. */
  async getStrings(keys: string[]): Promise<(string | undefined)[]> {
    const read = await this.guard('mget', () => this.backend.getStrings(keys.map((k) => this.prefix + k)), undefined);
    return read ?? keys.map(() => undefined);
  }

  /** A value written by `set` or `setIfAbsent`, from its raw form as `getStrings` returned it. */
  decodeValue<T>(raw: string | undefined): T | undefined {
    try {
      return this.backend.decode(raw) as T | undefined;
    } catch {
      return undefined; // not written by set(): as if absent
    }
  }

  async setString(key: string, value: string, ttlSeconds = this.config.cache.ttlSeconds): Promise<void> {
    await this.guard('set', () => this.backend.setString(this.prefix + key, value, ttlSeconds * 1000), undefined);
  }

  /** Increments counters; when the store cannot take them, remembers to invalidate everything on recovery. */
  async increment(keys: string[], floor: number): Promise<void> {
    const done = await this.guard('incr', () => this.backend.increment(keys.map((k) => this.prefix + k), floor).then(() => true), false);
    if (!done) this.lostWrites = true;
  }

  async initialise(entries: [string, number][]): Promise<void> {
    await this.guard('init', () => this.backend.initialise(entries.map(([k, v]) => [this.prefix + k, v])), undefined);
  }

  /** Runs when the store answers again after writes were lost (ResponseCacheService, SessionsService). */
  onRecovery(listener: () => Promise<void>): void {
    this.recoveryListeners.push(listener);
  }

  private async recover(): Promise<void> {
    if (!this.lostWrites) return;
    this.lostWrites = false;
    for (const listener of this.recoveryListeners) await listener();
  }

  async health(): Promise<CacheHealth> {
    const up = await this.guard('ping', () => this.backend.ping(), false);
    return { store: this.backend.kind, status: up ? 'up' : 'degraded' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }

  private async guard<T, F>(operation: string, call: () => Promise<T>, fallback: F): Promise<T | F> {
    const ms = this.config.cache.timeoutMs;
    try {
      const result = await withTimeout(call(), ms, () => new CacheTimeoutError(`timed out after ${ms} ms`));
      if (this.failing) {
        this.logger.log('cache store answering again');
        this.failing = false;
        void this.recover();
      }
      return result;
    } catch (error) {
      if (!this.failing) this.logger.warn(`cache ${operation} failed (${(error as Error).message}); degraded to the database`);
      this.failing = true;
      return fallback;
    }
  }
}
