import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type Precompressed, precompress } from '../common/http/compression';
import { CacheService } from './cache.service';
import { generationKey } from './cache-keys';
import { CacheTags } from './cache-tags';

export interface CachedResponse {
  /** Of the identity body; each encoding's ETag adds its suffix (see etagFor). */
  etag: string;
  body: string;
  /** The body compressed once per encoding, when this instance stored or first read the entry. */
  variants: Precompressed;
}

export interface Lookup {
  /** The entry, when present and none of its tags has moved since it was stored. */
  hit?: CachedResponse;
  /** Current generations of the tags: what a fresh entry must be stored with. */
  generations: string;
}

/**
 * Response entries validated by tag generations: one round trip reads the entry and the current
 * generation of each tag; a write bumps the generations of the tags it names, which retires every
 * entry stored under the old ones — across instances that share Redis, without scanning keys.
 */
@Injectable()
export class ResponseCacheService {
  /**
   * Entries this instance already holds, still checked against the shared generations on every
   * read: a hit then moves a few bytes of generations from Redis, not the whole body (measured:
   * fetching and decoding a 80 KB body from Redis dominated the cached limit=100 lists).
   */
  private readonly local = new LRUCache<string, { generations: string; response: CachedResponse }>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (entry) =>
      entry.response.body.length + (entry.response.variants.br?.length ?? 0) + (entry.response.variants.gzip?.length ?? 0) + entry.generations.length + 64,
  });

  constructor(private readonly cache: CacheService) {
    cache.onRecovery(() => this.invalidate(CacheTags.all));
  }

  async lookup(key: string, tags: string[]): Promise<Lookup> {
    const generationKeys = [CacheTags.all, ...tags].map(generationKey);
    const local = this.local.get(key);
    const read = () => this.cache.getStrings(local ? generationKeys : [key, ...generationKeys]);
    let values = await read();
    if (values.slice(local ? 0 : 1).some((generation) => generation === undefined)) {
      // A generation never set (or evicted) starts above any value it can have had: see floor().
      // Then read again: a concurrent first reader may have set it first.
      const missing = generationKeys.filter((_, i) => values[i + (local ? 0 : 1)] === undefined);
      await this.cache.initialise(missing.map((generation) => [generation, floor()]));
      values = await read();
    }
    const generations = values.slice(local ? 0 : 1);
    if (generations.some((generation) => generation === undefined)) return { generations: '' };
    const current = generations.join('.');
    if (local) return local.generations === current ? { hit: local.response, generations: current } : { generations: current };
    const entry = values[0];
    if (!entry) return { generations: current };
    const [stored, etag, body] = splitEntry(entry);
    if (stored !== current) return { generations: current };
    // Redis holds the identity body; its compressed forms are made once here, then kept locally.
    const response = { etag, body, variants: await precompress(body) };
    this.local.set(key, { generations: current, response });
    return { hit: response, generations: current };
  }

  /** Stores a response under the generations read before the handler queried the database. */
  async store(key: string, generations: string, response: CachedResponse, ttlSeconds?: number): Promise<void> {
    if (!generations) return;
    this.local.set(key, { generations, response }, { ttl: (ttlSeconds ?? this.cache.defaultTtlSeconds) * 1000 });
    await this.cache.setString(key, `${generations}\n${response.etag}\n${response.body}`, ttlSeconds);
  }

  /** Called by each write, after it commits and before it answers. */
  async invalidate(...tags: string[]): Promise<void> {
    if (tags.length > 0) await this.cache.increment([...new Set(tags)].map(generationKey), floor());
  }
}

/** Microseconds since the epoch: above any generation an evicted key may have reached by increments. */
function floor(): number {
  return Date.now() * 1000;
}

function splitEntry(entry: string): [string, string, string] {
  const first = entry.indexOf('\n');
  const second = entry.indexOf('\n', first + 1);
  return [entry.slice(0, first), entry.slice(first + 1, second), entry.slice(second + 1)];
}
