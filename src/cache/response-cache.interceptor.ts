import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { lastValueFrom, type Observable, of } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/sessions/access-token.guard';
import { prototypeKeyErrors, VALIDATOR_OPTIONS } from '../common/validation/app-validation.pipe';
import { chooseEncoding, type Encoding, precompress } from '../common/http/compression';
import { AppConfig } from '../config/app-config';
import { CacheMetrics } from './cache-metrics';
import { CACHE_RESPONSE, type CacheResponseOptions } from './cache-response.decorator';
import { responseKey } from './cache-keys';
import { type CachedResponse, ResponseCacheService } from './response-cache.service';

/**
 * Serves @CacheResponse() handlers from the response cache. A hit sends the stored bytes as they
 * are; concurrent misses on one key share one handler run (one database query per instance).
 */
@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<CachedResponse>>();
  // Validating the query with class-validator on every hit showed in profiles; the result is a
  // pure function of the raw query string, so it is remembered per route and string.
  private readonly queries = new LRUCache<string, { query: Record<string, unknown> | null }>({ max: 10_000 });

  constructor(
    private readonly reflector: Reflector,
    private readonly responses: ResponseCacheService,
    private readonly metrics: CacheMetrics,
    private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const options = this.reflector.get<CacheResponseOptions | undefined>(CACHE_RESPONSE, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & AuthenticatedRequest>();
    if (!options || request.method !== 'GET') return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    const params = request.params as Record<string, string>;
    const query = options.query ? this.normalisedQuery(route, options.query, request) : {};
    if (!query) return next.handle(); // invalid: the validation pipe answers 400, nothing is cached
    const key = responseKey({ handler: route, params, query, callerId: options.scope === 'caller' ? request.caller?.userId : undefined });
    const run = () => this.render(next);

    if (this.config.cache.allowBypass && /\bno-cache\b/i.test(request.headers['cache-control'] ?? '')) {
      // Nothing is stored: compress only into the encoding this client takes, if any.
      const wanted = chooseEncoding(request.headers['accept-encoding'], 'any');
      return of(this.send(request, reply, await this.counted(route, 'bypass', () => this.render(next, wanted ? [wanted] : [])), 'BYPASS'));
    }
    const lookup = await this.responses.lookup(key, options.tags(params));
    if (lookup.hit) {
      this.metrics.count(route, 'hit');
      return of(this.send(request, reply, lookup.hit, 'HIT'));
    }
    const flightKey = `${key}@${lookup.generations}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      flight = this.counted(route, 'miss', run).then(async (fresh) => {
        await this.responses.store(key, lookup.generations, fresh, options.ttl);
        return fresh;
      });
      this.inFlight.set(flightKey, flight);
      void flight.finally(() => this.inFlight.delete(flightKey)).catch(() => undefined);
    }
    return of(this.send(request, reply, await flight, 'MISS'));
  }

  private normalisedQuery(route: string, type: new () => object, request: FastifyRequest): Record<string, unknown> | null {
    const raw = `${route}?${request.url.split('?')[1] ?? ''}`;
    let known = this.queries.get(raw);
    if (!known) {
      known = { query: validatedQuery(type, request.query) };
      this.queries.set(raw, known);
    }
    return known.query;
  }

  private async counted(route: string, result: 'miss' | 'bypass', run: () => Promise<CachedResponse>): Promise<CachedResponse> {
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
   * Runs the handler and serialises its answer once, then compresses it once per encoding: these
   * bytes are what is stored and sent, so a hit spends no CPU on JSON or compression.
   */
  private async render(next: CallHandler, encodings?: Encoding[]): Promise<CachedResponse> {
    const body = JSON.stringify(await lastValueFrom(next.handle()));
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, variants: await precompress(body, encodings) };
  }

  private send(request: FastifyRequest, reply: FastifyReply, response: CachedResponse, outcome: 'HIT' | 'MISS' | 'BYPASS'): string | Buffer {
    const encoding = chooseEncoding(request.headers['accept-encoding'], response.variants);
    void reply
      .header('ETag', etagFor(response.etag, encoding))
      .header('X-Cache', outcome)
      .header('Cache-Control', 'no-cache')
      .header('Vary', 'Accept-Encoding');
    if (matches(request.headers['if-none-match'], response.etag)) {
      void reply.status(304);
      return '';
    }
    void reply.header('Content-Type', 'application/json; charset=utf-8');
    if (!encoding) return response.body;
    // Already compressed: @fastify/compress leaves answers that name their encoding alone.
    void reply.header('Content-Encoding', encoding);
    return response.variants[encoding]!;
  }
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
