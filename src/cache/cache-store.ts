import { memoryStore, type Store } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import { closeRedisClient, createResilientRedisClient } from '../common/redis-client';

export type StoreKind = 'redis' | 'memory';

/** What CacheService needs from a store: cache-manager's Store plus the few raw operations it lacks. */
export interface CacheBackend {
  kind: StoreKind;
  /** cache-manager store for JSON values. */
  store: Store;
  /** Sets a JSON value only where the key holds nothing; true when it was set. Atomic with `store.set`. */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Strings as stored, many keys in one round trip (no JSON parse: response bodies stay bytes). */
  getStrings(keys: string[]): Promise<(string | undefined)[]>;
  /** A value written by `store.set` or `setIfAbsent`, as `getStrings` read it back. */
  decode(raw: string | undefined): unknown;
  setString(key: string, value: string, ttlMs: number): Promise<void>;
  /** Atomically increments counters (tag generations); missing ones start from `floor`. */
  increment(keys: string[], floor: number): Promise<void>;
  /** Sets the counters that do not exist yet (no expiry). */
  initialise(entries: [string, number][]): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  onReconnect(listener: () => void): void;
}

export function createCacheBackend(redisUrl: string | undefined): CacheBackend {
  return redisUrl ? redisBackend(redisUrl) : memoryBackend();
}

/** In-process: cache-manager's LRU for values, a Map for generations (never evicted). */
function memoryBackend(): CacheBackend {
  const raw = memoryStore({ max: 50_000, ttl: 60_000, shouldCloneBeforeSet: false });
  // Writes queue on one chain, so setIfAbsent's read-then-write cannot interleave with a set.
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(write: () => Promise<T>): Promise<T> => {
    const run = chain.then(write);
    chain = run.catch(() => undefined);
    return run;
  };
  const store: Store = Object.assign(Object.create(raw) as Store, {
    set: (key: string, value: unknown, ttl?: number) => exclusive(() => raw.set(key, value, ttl)),
  });
  const counters = new Map<string, number>();
  return {
    kind: 'memory',
    store,
    decode: (raw) => raw, // the memory store keeps values as they were set
    setIfAbsent: (key, value, ttlMs) =>
      exclusive(async () => {
        if ((await raw.get(key)) !== undefined) return false;
        await raw.set(key, value, ttlMs);
        return true;
      }),
    getStrings: async (keys) => {
      const values = await store.mget(...keys);
      return keys.map((key, i) => (counters.has(key) ? String(counters.get(key)) : (values[i] as string | undefined)));
    },
    setString: (key, value, ttlMs) => store.set(key, value, ttlMs),
    increment: (keys, floor) => {
      for (const key of keys) counters.set(key, Math.max(counters.get(key) ?? floor, floor) + 1);
      return Promise.resolve();
    },
    initialise: (entries) => {
      for (const [key, value] of entries) if (!counters.has(key)) counters.set(key, value);
      return Promise.resolve();
    },
    ping: () => Promise.resolve(true),
    close: () => Promise.resolve(),
    onReconnect: () => undefined,
  };
}

/**
 * Redis through cache-manager-redis-yet on a client we configure ourselves: the package's own
 * `redisStore()` crashes the process when Redis drops.
 */
function redisBackend(redisUrl: string): CacheBackend {
  const reconnectListeners: (() => void)[] = [];
  const client = createResilientRedisClient(redisUrl, 'CacheStore', { onReconnect: () => reconnectListeners.forEach((listener) => listener()) });
  const store = redisInsStore(client as unknown as Parameters<typeof redisInsStore>[0]);
  return {
    kind: 'redis',
    store,
    // JSON-encoded like cache-manager-redis-yet's own set, so store.get reads it back.
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, JSON.stringify(value), { NX: true, PX: ttlMs })) === 'OK',
    getStrings: async (keys) => (await client.mGet(keys)).map((value) => value ?? undefined),
    decode: (raw) => (raw === undefined ? undefined : JSON.parse(raw)),
    setString: async (key, value, ttlMs) => {
      await client.set(key, value, { PX: ttlMs });
    },
    increment: async (keys, floor) => {
      const multi = client.multi();
      // SET NX first so a generation evicted or never set restarts above every value it had.
      for (const key of keys) multi.set(key, String(floor), { NX: true }).incr(key);
      await multi.exec();
    },
    initialise: async (entries) => {
      const multi = client.multi();
      for (const [key, value] of entries) multi.set(key, String(value), { NX: true });
      await multi.exec();
    },
    ping: async () => client.isReady && (await client.ping()) === 'PONG',
    close: () => closeRedisClient(client),
    onReconnect: (listener) => reconnectListeners.push(listener),
  };
}
