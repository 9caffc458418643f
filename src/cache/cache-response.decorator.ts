import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse } from '@nestjs/swagger';

export const CACHE_RESPONSE = 'chop-chop:cache-response';

export interface CacheResponseOptions {
  /** What the answer depends on, from the validated route params and, for `scope: 'caller'`, the caller's id. */
  tags: (params: Record<string, string>, callerId?: string) => string[];
  /** The handler's query DTO: the key uses its validated form, defaults applied. */
  query?: Type<object>;
  /** 'caller' when the answer depends on who asks: the key then includes the caller's id. */
  scope?: 'public' | 'caller';
  /** Seconds; CACHE_TTL when left out. */
  ttl?: number;
}

const ETAG = { description: 'Of this representation (each content coding has its own).', schema: { type: 'string' } };

/**
 * Caches the handler's 200 answers in the response cache, with ETag, X-Cache and 304 support, and
 * documents exactly that: the 200 (of `type`) with its headers, the 304, the request headers.
 */
export function CacheResponse(type: Type<unknown>, options: CacheResponseOptions): MethodDecorator {
  return applyDecorators(
    SetMetadata(CACHE_RESPONSE, options),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 when unchanged.' }),
    ApiHeader({
      name: 'Cache-Control',
      required: false,
      description: '`no-cache` skips the cache read (X-Cache: BYPASS) where the deployment allows it (CACHE_BYPASS=on).',
    }),
    ApiOkResponse({
      type,
      description: 'OK.',
      headers: {
        ETag: ETAG,
        'X-Cache': { description: 'Whether the response cache answered: HIT, MISS or BYPASS.', schema: { type: 'string', enum: ['HIT', 'MISS', 'BYPASS'] } },
        'Cache-Control': {
          description: '`no-cache`: revalidate with If-None-Match before reuse; `private, no-cache` when personalised for the caller.',
          schema: { type: 'string' },
        },
        Vary: { description: '`Accept-Encoding`, and `Authorization` where the answer carries viewer flags.', schema: { type: 'string' } },
      },
    }),
    ApiNotModifiedResponse({ description: 'Not modified: the If-None-Match ETag is current.', headers: { ETag: ETAG } }),
  );
}
