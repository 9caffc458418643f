import { Logger } from '@nestjs/common';
import { createClient } from '@redis/client';
import { memoryStore, type Store } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';

export type StoreKind = 'redis' | 'memory';

export interface CacheBackend {
  kind: StoreKind;
  store: Store;
  /** Round trip to the server (memory: always true). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const logger = new Logger('CacheStore');

/**
 * Redis through cache-manager-redis-yet on a client we configure ourselves: the package's own
 * `redisStore()` crashes the process when Redis drops, and node-redis' offline queue would make
 * every call hang while Redis is away. Without REDIS_URL: cache-manager's in-process LRU.
 */
export function createCacheBackend(redisUrl: string | undefined): CacheBackend {
  if (!redisUrl) {
    return { kind: 'memory', store: memoryStore({ max: 50_000, ttl: 60_000 }), ping: () => Promise.resolve(true), close: () => Promise.resolve() };
  }
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger.warn(`Redis unavailable (${error.message}); serving without it until it returns`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.log('Redis is back');
    reported = false;
  });
  // Not awaited: the service boots and answers from the database while Redis is unreachable.
  client.connect().catch(() => undefined);
  const store = redisInsStore(client as unknown as Parameters<typeof redisInsStore>[0]);
  return {
    kind: 'redis',
    store,
    ping: async () => client.isReady && (await client.ping()) === 'PONG',
    close: async () => {
      if (client.isOpen) await client.quit().catch(() => client.disconnect());
    },
  };
}
