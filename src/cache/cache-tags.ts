/**
 * What cached responses depend on. Each feature owns its tags (`<feature>.cache-tags.ts`) and its
 * listener retires them when an event says they moved; a response is served only while the
 * generation of each of its tags is unchanged. This one belongs to the cache itself.
 */
export const CacheTags = {
  /** Every cache entry: bumped after writes were lost while the store was down. */
  all: 'all',
} as const;
