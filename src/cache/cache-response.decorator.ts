import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

export const CACHE_RESPONSE = 'chop-chop:cache-response';

export interface CacheResponseOptions {
  /** What the answer depends on, from the validated route params (see CacheTags). */
  tags: (params: Record<string, string>) => string[];
  /** The handler's query DTO: the key uses its validated form, defaults applied. */
  query?: Type<object>;
  /** 'caller' when the answer depends on who asks: the key then includes the caller's id. */
  scope?: 'public' | 'caller';
  /** Seconds; CACHE_TTL when left out. */
  ttl?: number;
}

/** Caches the handler's 200 answers in the response cache, with ETag, X-Cache and 304 support. */
export function CacheResponse(options: CacheResponseOptions): MethodDecorator {
  return applyDecorators(
    SetMetadata(CACHE_RESPONSE, options),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 when unchanged.' }),
    ApiHeader({
      name: 'Cache-Control',
      required: false,
      description: '`no-cache` skips the cache read (X-Cache: BYPASS) where the deployment allows it (CACHE_BYPASS=on).',
    }),
    ApiResponse({ status: 304, description: 'Not modified: the If-None-Match ETag is current.' }),
  );
}
