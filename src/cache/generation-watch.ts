import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { withTimeout } from '../common/concurrency/with-timeout';
import { closeRedisClient, createResilientRedisClient, type RedisClient } from '../common/redis-client';
import { AppConfig } from '../config/app-config';

/** How long a lease lasts from the moment the ping that renewed it was sent. */
export const LEASE_MS = 500;
const RENEW_EVERY_MS = 100;
// A lease ends this much before Redis's record of it says, for clocks that run at slightly different rates.
const MARGIN_MS = 50;

// Records the caller as a holder until Redis's now + lease, and sends it a ping through pub/sub: when
// the ping comes back, every invalidation published before it has come back too (one connection, in order).
const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], 4 * tonumber(ARGV[2]))
redis.call('PUBLISH', ARGV[3], ARGV[4])
return now`;

// Publishes an invalidation and answers Redis's now with the holders whose lease may still run.
const ANNOUNCE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('PUBLISH', ARGV[1], ARGV[2])
return { now, redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES') }`;

interface Announcement {
  waitingFor: Set<string>;
  done: () => void;
}

/**
 * Lets a cache hit skip the round trip to Redis for its tags' generations, without ever serving
 * what a write has replaced once that write is answered (measured: the per-hit MGET was half of
 * a cached hit's CPU on this machine).
 *
 * Each process keeps the generations it has read, and may use them only while it holds a *lease*:
 * it pings itself through Redis pub/sub every 100 ms, and a ping that comes back proves that every
 * invalidation published before it has been applied (one subscriber connection delivers in order).
 * A writer bumps the generations in Redis, forgets them locally, publishes the invalidation, and
 * answers only once every other lease holder has acknowledged it, or its lease has run out
 * (Redis keeps each holder's lease end in a sorted set, by Redis's clock). A process whose
 * subscription drops forgets everything it knew and reads Redis until a ping of its new
 * subscription comes back. Only with Redis: the memory store has no round trip to save.
 *
 * An instance of an older version bumps generations without announcing them: beside it, no
 * instance may hold a lease. The deploy that introduces this runs with CACHE_GENERATION_WATCH=off
 * (announcing, not holding), and a second rolling restart turns it on.
 */
@Injectable()
export class GenerationWatch implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GenerationWatch.name);
  private readonly id = randomUUID();
  private commands?: RedisClient;
  private subscriber?: RedisClient;
  private timer?: NodeJS.Timeout;

  /** Generation keys (unprefixed) and their values, read from Redis while a lease held; bounded (a tag per post read). */
  private readonly known = new LRUCache<string, string>({ max: 200_000 });
  /** Moves whenever what is known may have gone stale: a read begun before it may not be learnt. */
  private epoch = 0;
  /** Moves whenever the subscription may have dropped: pings sent before it do not renew the lease. */
  private connection = 0;
  private leaseUntil = 0;
  /** When announcing first failed in the present outage (performance.now()); undefined while Redis answers. */
  private unreachableSince?: number;
  private renewing = false;
  private readonly announcements = new Map<string, Announcement>();
  private readonly holders: string;
  private readonly channel: string;
  private readonly direct: (id: string) => string;
  /** The subscriber connection's name in Redis's CLIENT LIST. */
  readonly subscriberName: string;

  constructor(private readonly config: AppConfig) {
    const prefix = config.cache.keyPrefix;
    this.holders = `${prefix}:generation-watch:holders`;
    this.channel = `${prefix}:generation-watch:invalidations`;
    this.direct = (id) => `${prefix}:generation-watch:to:${id}`;
    this.subscriberName = `chopchop-generation-watch-${this.id}`; // the prefix may hold spaces, which names may not
  }

  onModuleInit(): void {
    const url = this.config.cache.redisUrl;
    if (!url) return;
    this.commands = createResilientRedisClient(url, GenerationWatch.name);
    this.subscriber = createResilientRedisClient(url, `${GenerationWatch.name}Subscriber`, { name: this.subscriberName });
    for (const event of ['error', 'end', 'reconnecting', 'ready']) this.subscriber.on(event, () => this.forgetAll());
    this.subscriber.on('ready', () => void this.subscribe());
    // Off: this process never holds a lease (its hits read Redis, as an older version's do), yet it
    // still announces its writes and hears its acknowledgements, for the instances that do hold one.
    if (this.config.cache.generationWatch) this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.forgetAll();
    if (this.commands?.isReady) await this.commands.zRem(this.holders, this.id).catch(() => undefined);
    for (const client of [this.subscriber, this.commands]) if (client) await closeRedisClient(client);
  }

  /** A number to hand back to `learn` with what a read found (see there). */
  ticket(): number {
    return this.holding() ? this.epoch : -1;
  }

  /** The values of these generation keys, when all are known and the lease holds; else undefined. */
  lookup(keys: string[]): string[] | undefined {
    if (!this.holding()) return undefined;
    const values: string[] = [];
    for (const key of keys) {
      const value = this.known.get(key);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }

  /**
   * Keeps generations read from Redis, unless something may have moved since the read began (its
   * `ticket`): then an invalidation may have overtaken the read's answer, and the values stay unknown.
   */
  learn(ticket: number, keys: string[], values: string[]): void {
    if (ticket < 0 || ticket !== this.epoch || !this.holding()) return;
    keys.forEach((key, i) => this.known.set(key, values[i]));
  }

  /**
   * After a write has bumped these generation keys in Redis: forgets them here, tells every other
   * process, and resolves once each lease holder has acknowledged or its lease has run out.
   * Never rejects: with Redis unreachable there is nothing to tell and no lease to wait for.
   */
  async announce(keys: string[]): Promise<void> {
    this.forget(keys);
    if (!this.commands) return;
    const announcement = randomUUID();
    let reply: [number, string[]];
    try {
      if (!this.commands.isReady) throw new Error('not connected');
      const sent = this.commands.eval(ANNOUNCE, { keys: [this.holders], arguments: [this.channel, JSON.stringify({ from: this.id, announcement, keys })] });
      reply = (await withTimeout(sent, this.config.cache.timeoutMs)) as [number, string[]];
      this.unreachableSince = undefined;
    } catch {
      // Nobody could be told. A lease that may have heard nothing since Redis stopped answering
      // here ends LEASE_MS after that at the latest: wait that long, once an outage, not on every write.
      this.unreachableSince ??= performance.now();
      const left = this.unreachableSince + LEASE_MS - performance.now();
      if (left > 0) await delay(left);
      return;
    }
    const [now, holders] = reply;
    const waitingFor = new Set<string>();
    let longest = 0;
    for (let i = 0; i < holders.length; i += 2) {
      if (holders[i] === this.id) continue;
      waitingFor.add(holders[i]);
      longest = Math.max(longest, Number(holders[i + 1]) - now);
    }
    if (waitingFor.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), longest);
      const finish = () => {
        clearTimeout(timer);
        this.announcements.delete(announcement);
        resolve();
      };
      this.announcements.set(announcement, { waitingFor, done: finish });
    });
  }

  private holding(): boolean {
    return performance.now() < this.leaseUntil;
  }

  /** Forgets these generation keys (all of them when undefined). */
  private forget(keys: string[] | undefined): void {
    this.epoch += 1;
    if (!keys) this.known.clear();
    else for (const key of keys) this.known.delete(key);
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.connection += 1;
    this.leaseUntil = 0;
    this.known.clear();
  }

  // After a reconnection node-redis subscribes again by itself; subscribing the same listener twice is a no-op.
  private async subscribe(): Promise<void> {
    try {
      await this.subscriber!.subscribe(this.channel, this.onInvalidation);
      await this.subscriber!.subscribe(this.direct(this.id), this.onDirect);
    } catch {
      this.forgetAll(); // the next 'ready' subscribes again
    }
  }

  private async renew(): Promise<void> {
    if (this.renewing || !this.commands?.isReady || !this.subscriber?.isReady) return;
    this.renewing = true; // one at a time: a Redis that hangs does not pile pings up
    const ping = `ping ${this.connection} ${performance.now()}`;
    try {
      await this.commands.eval(RENEW, { keys: [this.holders], arguments: [this.id, String(LEASE_MS), this.direct(this.id), ping] });
    } catch {
      // no lease renewed: it runs out, and hits read Redis again
    } finally {
      this.renewing = false;
    }
  }

  private readonly onInvalidation = (message: string): void => {
    const { from, announcement, keys } = parseInvalidation(message);
    if (from === this.id) return; // forgotten before it was sent
    this.forget(keys);
    if (from) void this.commands?.publish(this.direct(from), `ack ${announcement} ${this.id}`).catch(() => undefined);
  };

  private readonly onDirect = (message: string): void => {
    const [kind, first, second] = message.split(' ');
    if (kind === 'ping') {
      if (Number(first) === this.connection) this.leaseUntil = Math.max(this.leaseUntil, Number(second) + LEASE_MS - MARGIN_MS);
      return;
    }
    const waiting = this.announcements.get(first);
    if (!waiting) return;
    waiting.waitingFor.delete(second);
    if (waiting.waitingFor.size === 0) waiting.done();
  };
}

/** An invalidation as announce() sends it; anything else on the channel forgets everything (it cannot be read). */
function parseInvalidation(message: string): { from?: string; announcement?: string; keys?: string[] } {
  try {
    const parsed = JSON.parse(message) as { from?: unknown; announcement?: unknown; keys?: unknown };
    if (typeof parsed.from === 'string' && typeof parsed.announcement === 'string' && Array.isArray(parsed.keys)) return parsed as { from: string; announcement: string; keys: string[] };
  } catch {
    // below
  }
  return {};
}
