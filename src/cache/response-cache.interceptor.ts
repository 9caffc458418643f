import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, type OnModuleInit } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { lastValueFrom, mergeMap, type Observable, of } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/sessions/access-token.guard';
import { prototypeKeyErrors, VALIDATOR_OPTIONS } from '../common/validation/app-validation.pipe';
import { chooseEncoding, type Encoding, precompress } from '../common/http/compression';
import {
  assignFlags,
  collectSlots,
  decodeFlags,
  encodeFlags,
  fillTemplate,
  parseMarkers,
  stringifyWithMarkers,
  VIEWER_FLAGS_SOURCE,
  type ViewerFlagsSource,
} from '../common/viewer/viewer-slots';
import { optionalProvider } from '../common/providers/optional-provider';
import { AppConfig } from '../config/app-config';
import { CacheMetrics } from './cache-metrics';
import { CACHE_RESPONSE, type CacheResponseOptions } from './cache-response.decorator';
import { canonical, responseKeyWith, viewerFlagsKey } from './cache-keys';
import { type CachedResponse, type Lookup, ResponseCacheService, type ValueLookup } from './response-cache.service';

type Rendered = CachedResponse & { marked: string };

const NO_QUERY = canonical({});

/** Where a cacheable GET's answer lives: its key, the tags it depends on, the caller it is for. */
interface Target {
  key: string;
  tags: string[];
  callerId?: string;
}

/** The shared entry, and for a signed-in caller their flags and any keys read with them (see read()). */
interface EntryRead {
  lookup: Lookup;
  flagsLookup?: ValueLookup;
  extra?: (string | undefined)[];
}

/** A hit found ahead of the pipeline, ready to send. */
export interface Hit {
  route: string;
  answer: CachedResponse;
  alsoRead?: (string | undefined)[];
}

/** A cacheable route pattern, and for whom its guards have let requests through. */
interface CacheableRoute {
  route: string;
  options: CacheResponseOptions;
  anonymous: boolean;
  signedIn: boolean;
}

/**
 * Serves @CacheResponse() handlers from the response cache. A hit sends the stored bytes as they
 * are; concurrent misses on one key share one handler run (one database query per instance).
 * For a signed-in caller the shared entry is personalised: its viewer slots are filled with the
 * caller's flags, themselves cached per caller and page and retired by the caller's own writes.
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor, OnModuleInit {
  private readonly inFlight = new Map<string, Promise<Rendered>>();
  // Validating the query with class-validator on every hit showed in profiles, and so did writing it
  // in the key's canonical form; both are pure functions of the raw query string, so the result is
  // remembered per route and string.
  private readonly queries = new LRUCache<string, { canonical: string | null }>({ max: 10_000 });
  /** Personalised bodies (and their compressed forms) this instance built, by flags key: reused while their ETag holds. */
  private readonly personalised = new LRUCache<string, CachedResponse>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (entry) => 2 * entry.body.length + 64 });
  private flags?: ViewerFlagsSource;
  /** By Fastify route pattern (`/api/v1/posts/:id`): see learn() and findHit(). */
  private readonly cacheable = new Map<string, CacheableRoute>();
  /** What findHit read for a request it could not answer: the pipeline's miss reuses it instead of reading again. */
  private readonly earlyReads = new WeakMap<FastifyRequest, Target & EntryRead>();

  constructor(
    private readonly reflector: Reflector,
    private readonly responses: ResponseCacheService,
    private readonly metrics: CacheMetrics,
    private readonly config: AppConfig,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Provided by the social feature, which the cache must not import; absent in slimmer test modules.
    this.flags = optionalProvider<ViewerFlagsSource>(this.modules, VIEWER_FLAGS_SOURCE);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const options = this.reflector.get<CacheResponseOptions | undefined>(CACHE_RESPONSE, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & AuthenticatedRequest>();
    const callerId = request.caller?.userId;
    if (!options || request.method !== 'GET') {
      return callerId ? next.handle().pipe(mergeMap((value) => this.withFlags(callerId, value))) : next.handle();
    }
    const reply = http.getResponse<FastifyReply>();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    this.learn(request, route, options);
    const target = this.targetOf(request, route, options);
    if (!target) return next.handle(); // invalid: the validation pipe answers 400, nothing is cached

    if (this.bypassAsked(request)) {
      const fresh = await this.counted(route, 'bypass', () => this.render(next));
      // Not stored: compressed only into the encoding this client asked for, if any.
      const answer = await this.compressedFor(request, await this.personalise(target, fresh, { generations: '' }));
      return of(this.send(request, reply, answer, 'BYPASS', callerId !== undefined));
    }
    const early = this.earlyReads.get(request);
    const { lookup, flagsLookup } = early?.key === target.key && early.callerId === target.callerId ? early : await this.read(target);
    let shared = lookup.hit;
    if (shared) this.metrics.count(route, 'hit');
    else shared = await this.miss(route, target.key, lookup.generations, options.ttl, next);
    const answer = await this.forCaller(request, target, shared, flagsLookup);
    return of(this.send(request, reply, answer, lookup.hit ? 'HIT' : 'MISS', callerId !== undefined));
  }

  /**
   * The hit for this request, for the shortcut ahead of Nest's pipeline (see cached-hit-shortcut),
   * when its route is known to be cacheable for such a caller and the entry is there; else undefined
   * and the request goes through the pipeline as usual (a miss then runs the handler). Nothing is
   * sent until `sendHit`. A signed-in caller's `alsoRead` keys are read in the same `MGET` and come
   * back raw with the hit (undefined where they could not be: read them yourself).
   */
  async findHit(request: FastifyRequest & AuthenticatedRequest, alsoRead: string[] = []): Promise<Hit | undefined> {
    const pattern = request.routeOptions.url; // a getter that builds an object: read once
    const known = pattern === undefined ? undefined : this.cacheable.get(pattern);
    if (!known || !(request.caller ? known.signedIn : known.anonymous) || this.bypassAsked(request)) return undefined;
    const target = this.targetOf(request, known.route, known.options);
    if (!target) return undefined;
    const read = await this.read(target, alsoRead);
    const { lookup, flagsLookup, extra } = read;
    if (!lookup.hit) {
      this.earlyReads.set(request, { ...target, ...read });
      return undefined;
    }
    return { route: known.route, answer: await this.forCaller(request, target, lookup.hit, flagsLookup), alsoRead: extra };
  }

  sendHit(request: FastifyRequest & AuthenticatedRequest, reply: FastifyReply, { route, answer }: Hit): string | Buffer {
    this.metrics.count(route, 'hit');
    return this.send(request, reply, answer, 'HIT', request.caller !== undefined);
  }

  /**
   * Remembers that this route pattern is cacheable, and for whom its guards let requests through
   * (learnt from requests that got past them): what findHit may answer without running them.
   */
  private learn(request: FastifyRequest & AuthenticatedRequest, route: string, options: CacheResponseOptions): void {
    const pattern = request.routeOptions.url;
    if (pattern === undefined) return;
    let known = this.cacheable.get(pattern);
    if (!known) this.cacheable.set(pattern, (known = { route, options, anonymous: false, signedIn: false }));
    if (request.caller) known.signedIn = true;
    else known.anonymous = true;
  }

  /** The key and tags of this request's answer; null when its query is invalid. */
  private targetOf(request: FastifyRequest & AuthenticatedRequest, route: string, options: CacheResponseOptions): Target | null {
    const callerId = request.caller?.userId;
    const params = request.params as Record<string, string>;
    const query = options.query ? this.canonicalQuery(route, options.query, request) : NO_QUERY;
    if (query === null) return null;
    const key = responseKeyWith({ handler: route, params, callerId: options.scope === 'caller' ? callerId : undefined }, query);
    return { key, tags: options.tags(params, callerId), callerId };
  }

  private bypassAsked(request: FastifyRequest): boolean {
    return this.config.cache.allowBypass && /\bno-cache\b/i.test(request.headers['cache-control'] ?? '');
  }

  /**
   * The shared entry and, for a signed-in caller, their flags for it and the `alsoRead` keys (raw),
   * in one `MGET`. An anonymous hit reads the entry alone, as before viewer flags existed.
   */
  private async read({ key, tags, callerId }: Target, alsoRead: string[] = []): Promise<EntryRead> {
    if (!callerId || !this.flags) return { lookup: await this.responses.lookup(key, tags) };
    const [lookup, flagsLookup, extra] = await this.responses.lookupWithValue(key, tags, viewerFlagsKey(key, callerId), [this.flags.tagFor(callerId)], alsoRead);
    return { lookup, flagsLookup, extra };
  }

  /** Concurrent misses of one key and generation share one handler run. */
  private miss(route: string, key: string, generations: string, ttl: number | undefined, next: CallHandler): Promise<CachedResponse> {
    const flightKey = `${key}@${generations}`;
    const underWay = this.inFlight.get(flightKey);
    if (underWay) return underWay;
    // The flight for this key may have landed between this request's lookup and now: its entry is here.
    const landed = this.responses.localHit(key, generations);
    if (landed) {
      this.metrics.count(route, 'miss');
      return Promise.resolve(landed);
    }
    const flight = this.counted(route, 'miss', () => this.render(next)).then(async (fresh) => {
      // Stored: compressed once per encoding now, so no hit on this instance compresses again.
      Object.assign(fresh.variants, await precompress(fresh.body));
      await this.responses.store(key, generations, fresh, ttl);
      return fresh;
    });
    this.inFlight.set(flightKey, flight);
    void flight.finally(() => this.inFlight.delete(flightKey)).catch(() => undefined);
    return flight;
  }

  /** The answer for this caller: the shared one, or for a signed-in caller their personalised copy, in the encoding they accept. */
  private async forCaller(request: FastifyRequest, target: Target, shared: CachedResponse, flags?: ValueLookup): Promise<CachedResponse> {
    return target.callerId ? this.compressedFor(request, await this.personalise(target, shared, flags)) : shared;
  }

  /**
   * The shared answer with this caller's flags written in. The flags come from the cache when they
   * were stored for this very entry (same ETag) under the current generations, else from one lookup
   * for the whole page, then stored. No slots: the shared answer as it is.
   */
  private async personalise({ key, callerId }: Target, shared: CachedResponse, cached?: ValueLookup): Promise<CachedResponse> {
    const source = this.flags;
    if (!source || !callerId || shared.template.slots.length === 0) return shared;
    const flagsKey = viewerFlagsKey(key, callerId);
    const [etagOfFlags, encodedFlags] = splitOnce(cached?.value ?? '');
    let encoded = etagOfFlags === shared.etag ? encodedFlags : undefined;
    if (encoded === undefined || encoded.length !== shared.template.slots.length) {
      encoded = encodeFlags(await source.flagsFor(callerId, shared.template.slots));
      if (cached) await this.responses.storeValue(flagsKey, cached.generations, `${shared.etag}\n${encoded}`);
    }
    const etag = `"${shared.etag.slice(1, -1)}.${createHash('sha1').update(encoded).digest('base64url').slice(0, 12)}"`;
    const known = this.personalised.get(flagsKey);
    if (known?.etag === etag) return known;
    const response: CachedResponse = { etag, body: fillTemplate(shared.template, decodeFlags(encoded)), variants: {}, template: shared.template };
    this.personalised.set(flagsKey, response);
    return response;
  }

  /** Answers that are not cached (writes, the caller's own account) get the flags written into their objects. */
  private async withFlags(callerId: string, value: unknown): Promise<unknown> {
    const found = collectSlots(value);
    if (found.length > 0 && this.flags) assignFlags(found, await this.flags.flagsFor(callerId, found.map((entry) => entry.slot)));
    return value;
  }

  /** The query as the handler will see it, in the cache key's canonical form; null when it is invalid. */
  private canonicalQuery(route: string, type: new () => object, request: FastifyRequest): string | null {
    const raw = `${route}?${request.url.split('?')[1] ?? ''}`;
    let known = this.queries.get(raw);
    if (!known) {
      const query = validatedQuery(type, request.query);
      known = { canonical: query && canonical(query) };
      this.queries.set(raw, known);
    }
    return known.canonical;
  }

  private async counted(route: string, result: 'miss' | 'bypass', run: () => Promise<Rendered>): Promise<Rendered> {
    try {
      const fresh = await run();
      this.metrics.count(route, result);
      return fresh;
    } catch (error) {
      this.metrics.count(route, 'error');
      throw error;
    }
  }

  /**
   * Runs the handler and serialises its answer once (with markers where viewer flags go): these
   * bytes are what is stored and sent, so a hit spends no CPU on JSON.
   */
  private async render(next: CallHandler): Promise<Rendered> {
    const marked = stringifyWithMarkers(await lastValueFrom(next.handle()));
    const template = parseMarkers(marked);
    const body = fillTemplate(template);
    return { marked, template, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, variants: {} };
  }

  /** Bypass and personalised bodies: compressed on their first request in each encoding, then reused (see `personalised`). */
  private async compressedFor(request: FastifyRequest, response: CachedResponse): Promise<CachedResponse> {
    const wanted = chooseEncoding(request.headers['accept-encoding'], 'any');
    if (wanted && !response.variants[wanted]) Object.assign(response.variants, await precompress(response.body, [wanted]));
    return response;
  }

  private send(request: FastifyRequest, reply: FastifyReply, response: CachedResponse, outcome: 'HIT' | 'MISS' | 'BYPASS', personal: boolean): string | Buffer {
    const encoding = chooseEncoding(request.headers['accept-encoding'], response.variants);
    void reply
      .header('ETag', etagFor(response.etag, encoding))
      .header('X-Cache', outcome)
      .header('Cache-Control', personal ? 'private, no-cache' : 'no-cache')
      // Every answer that has viewer slots differs with the token: shared caches must key on it.
      .header('Vary', personal || response.template.slots.length > 0 ? 'Accept-Encoding, Authorization' : 'Accept-Encoding');
    if (matches(request.headers['if-none-match'], response.etag)) {
      void reply.status(304);
      return '';
    }
    void reply.header('Content-Type', 'application/json; charset=utf-8');
    if (!encoding) return (response.bytes ??= Buffer.from(response.body));
    // Already compressed: @fastify/compress leaves answers that name their encoding alone.
    void reply.header('Content-Encoding', encoding);
    return response.variants[encoding]!;
  }
}

function splitOnce(value: string): [string, string] {
  const newline = value.indexOf('\n');
  return newline < 0 ? ['', ''] : [value.slice(0, newline), value.slice(newline + 1)];
}

/**
 * RFC 9110 §8.8.3: each content coding is a different representation with its own strong ETag;
 * `"<hash>"` for identity, `"<hash>-br"`, `"<hash>-gzip"`.
 */
function etagFor(identityEtag: string, encoding: Encoding | undefined): string {
  return encoding ? `${identityEtag.slice(0, -1)}-${encoding}"` : identityEtag;
}

/** The query as the handler will see it (defaults applied), or null when it is invalid (the pipe answers 400). */
function validatedQuery(type: new () => object, raw: unknown): Record<string, unknown> | null {
  if (prototypeKeyErrors(raw).length > 0) return null;
  const instance = plainToInstance(type, raw ?? {});
  return validateSync(instance, VALIDATOR_OPTIONS).length > 0 ? null : (instance as Record<string, unknown>);
}

/** If-None-Match uses weak comparison: any encoding's ETag of the same content matches. */
function matches(ifNoneMatch: string | undefined, identityEtag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '').replace(/-(br|gzip)"$/, '"');
    return tag === '*' || tag === identityEtag;
  });
}
