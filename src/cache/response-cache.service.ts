import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { type Precompressed, precompress } from '../common/http/compression';
import { fillTemplate, parseMarkers, type ViewerTemplate } from '../common/viewer/viewer-slots';
import { CacheService } from './cache.service';
import { generationKey } from './cache-keys';
import { CacheTags } from './cache-tags';
import { GenerationWatch } from './generation-watch';

export interface CachedResponse {
  /** Of the identity body; each encoding's ETag adds its suffix (see etagFor). */
  etag: string;
  /** The anonymous body: no viewer flags. */
  body: string;
  /** The body compressed once per encoding, when this instance stored or first read the entry. */
  variants: Precompressed;
  /** The identity body as UTF-8, made on its first send and reused (encoding a long string on every hit showed in profiles). */
  bytes?: Buffer;
  /** The body split where each viewer slot's flags go (no slots: nothing to personalise). */
  template: ViewerTemplate;
}

export interface Lookup {
  /** The entry, when present and none of its tags has moved since it was stored. */
  hit?: CachedResponse;
  /** Current generations of the tags: what a fresh entry must be stored with. */
  generations: string;
}

export interface ValueLookup {
  value?: string;
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
    // Two bytes a character covers the body string and the UTF-8 copy a first send adds (`bytes`).
    sizeCalculation: (entry) =>
      2 * entry.response.body.length + (entry.response.variants.br?.length ?? 0) + (entry.response.variants.gzip?.length ?? 0) + entry.generations.length + 64,
  });

  constructor(
    private readonly cache: CacheService,
    private readonly watch: GenerationWatch,
  ) {
    cache.onRecovery(() => this.invalidate(CacheTags.all));
  }

  async lookup(key: string, tags: string[]): Promise<Lookup> {
    const local = this.local.get(key);
    const { values, generations } = await this.readWithGenerations(local ? [] : [key], tags);
    return this.entryOf(key, local, values[0], generations);
  }

  /**
   * An entry and a small value that depends on it (a caller's flags on it) in one round trip: the
   * value is checked against the entry's tags plus `valueTags`. `alsoRead`: other keys the caller
   * wants in the same `MGET`, returned raw.
   */
  async lookupWithValue(key: string, tags: string[], valueKey: string, valueTags: string[], alsoRead: string[] = []): Promise<[Lookup, ValueLookup, (string | undefined)[]]> {
    const local = this.local.get(key);
    const keys = [...(local ? [] : [key]), valueKey, ...alsoRead];
    const { values, generations, perTag } = await this.readWithGenerations(keys, [...tags, ...valueTags]);
    // perTag starts with `all`: the entry's own generations are `all` and its tags.
    const entryGenerations = generations && perTag.slice(0, 1 + tags.length).join('.');
    const valueAt = local ? 0 : 1;
    const value = unwrapValue(values[valueAt], generations);
    const entry = await this.entryOf(key, local, local ? undefined : values[0], entryGenerations);
    return [entry, { value, generations }, values.slice(valueAt + 1, valueAt + 1 + alsoRead.length)];
  }

  private async entryOf(key: string, local: { generations: string; response: CachedResponse } | undefined, entry: string | undefined, generations: string): Promise<Lookup> {
    if (!generations) return { generations };
    if (local) return local.generations === generations ? { hit: local.response, generations } : { generations };
    if (!entry) return { generations };
    const [stored, etag, marked] = splitEntry(entry);
    if (stored !== generations) return { generations };
    // Redis holds the marked identity body; its other forms are made once here, then kept locally.
    const response = await responseOf(etag, marked);
    this.local.set(key, { generations, response });
    return { hit: response, generations };
  }

  /** This instance's entry for `key` when it was stored under exactly these generations. */
  localHit(key: string, generations: string): CachedResponse | undefined {
    const local = this.local.get(key);
    return local && local.generations === generations ? local.response : undefined;
  }

  /** Stores a response under the generations read before the handler queried the database. */
  async store(key: string, generations: string, response: CachedResponse & { marked: string }, ttlSeconds?: number): Promise<void> {
    if (!generations) return;
    this.local.set(key, { generations, response }, { ttl: (ttlSeconds ?? this.cache.defaultTtlSeconds) * 1000 });
    await this.cache.setString(key, `${generations}\n${response.etag}\n${response.marked}`, ttlSeconds);
  }

  /** A small string entry (a caller's flags on a page) under the same generation rules; read back with lookupWithValue. */
  async storeValue(key: string, generations: string, value: string, ttlSeconds?: number): Promise<void> {
    if (generations) await this.cache.setString(key, `${generations}\n${value}`, ttlSeconds);
  }

  private readonly invalidationListeners: ((tags: string[]) => Promise<void>)[] = [];

  /** Called by the listeners of each write, after it commits and before it answers. */
  async invalidate(...tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    const unique = [...new Set(tags)];
    const keys = unique.map(generationKey);
    await this.cache.increment(keys, floor());
    await this.watch.announce(keys);
    for (const listener of this.invalidationListeners) await listener(unique);
  }

  /** Also tell `listener` of every invalidation (InvalidationRelay: to other processes without Redis). */
  onInvalidate(listener: (tags: string[]) => Promise<void>): void {
    this.invalidationListeners.push(listener);
  }

  /**
   * `keys` and the current generations of `tags` (with `all`) in one round trip. A generation never
   * set (or evicted) starts above any value it can have had (see floor()); then it is read again, as a
   * concurrent first reader may have set it first. Empty generations: the store is not answering.
   * With nothing else to read, generations the GenerationWatch vouches for need no round trip.
   */
  private async readWithGenerations(keys: string[], tags: string[]): Promise<{ values: (string | undefined)[]; generations: string; perTag: string[] }> {
    const generationKeys = [CacheTags.all, ...tags].map(generationKey);
    const known = keys.length === 0 ? this.watch.lookup(generationKeys) : undefined;
    if (known) return { values: [], generations: known.join('.'), perTag: known };
    const ticket = this.watch.ticket();
    const read = () => this.cache.getStrings([...keys, ...generationKeys]);
    let values = await read();
    if (values.slice(keys.length).some((generation) => generation === undefined)) {
      await this.cache.initialise(generationKeys.filter((_, i) => values[keys.length + i] === undefined).map((generation) => [generation, floor()]));
      values = await read();
    }
    const perTag = values.slice(keys.length);
    if (perTag.some((generation) => generation === undefined)) return { values, generations: '', perTag: [] };
    this.watch.learn(ticket, generationKeys, perTag as string[]);
    return { values, generations: perTag.join('.'), perTag: perTag as string[] };
  }
}

/** A cached response from its ETag and marked body: the anonymous body, its compressed forms, its slots. */
export async function responseOf(etag: string, marked: string): Promise<CachedResponse> {
  const template = parseMarkers(marked);
  const body = fillTemplate(template);
  return { etag, body, variants: await precompress(body), template };
}

/** Microseconds since the epoch: above any generation an evicted key may have reached by increments. */
function floor(): number {
  return Date.now() * 1000;
}

/** A value stored by storeValue, when it was stored under these generations. */
function unwrapValue(entry: string | undefined, generations: string): string | undefined {
  if (!generations || !entry) return undefined;
  const newline = entry.indexOf('\n');
  return entry.slice(0, newline) === generations ? entry.slice(newline + 1) : undefined;
}

function splitEntry(entry: string): [string, string, string] {
  const first = entry.indexOf('\n');
  const second = entry.indexOf('\n', first + 1);
  return [entry.slice(0, first), entry.slice(first + 1, second), entry.slice(second + 1)];
}
