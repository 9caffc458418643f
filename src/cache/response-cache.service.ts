import { Injectable } from '@nestjs/common';
import { CacheService } from './cache.service';
import { generationKey } from './cache-keys';
import { CacheTags } from './cache-tags';

export interface CachedResponse {
  etag: string;
  body: string;
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
  constructor(private readonly cache: CacheService) {
    cache.onRecovery(() => this.invalidate(CacheTags.all));
  }

  async lookup(key: string, tags: string[]): Promise<Lookup> {
    const allTags = [CacheTags.all, ...tags];
    let [entry, ...generations] = await this.cache.getStrings([key, ...allTags.map(generationKey)]);
    const missing = allTags.filter((_, i) => generations[i] === undefined);
    if (missing.length > 0) {
      // A generation never set (or evicted) starts above any value it can have had: see floor().
      // Then read again: a concurrent first reader may have set it first.
      await this.cache.initialise(missing.map((tag) => [generationKey(tag), floor()]));
      [entry, ...generations] = await this.cache.getStrings([key, ...allTags.map(generationKey)]);
      if (generations.some((generation) => generation === undefined)) return { generations: '' };
    }
    const current = generations.join('.');
    if (!entry) return { generations: current };
    const [stored, etag, body] = splitEntry(entry);
    return stored === current ? { hit: { etag, body }, generations: current } : { generations: current };
  }

  /** Stores a response under the generations read before the handler queried the database. */
  async store(key: string, generations: string, response: CachedResponse, ttlSeconds?: number): Promise<void> {
    if (!generations) return;
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
