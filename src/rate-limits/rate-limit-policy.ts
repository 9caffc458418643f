/** Which limit a request counts against, and whose bucket: the one place that decides it (requests and the OpenAPI). */
export type RateLimitName = 'auth' | 'write' | 'read';

export interface RateLimitBucket {
  name: RateLimitName;
  /** Who is counted: the client IP, or the account for writes. */
  key: string;
}

const READ_METHODS = new Set(['GET', 'HEAD']);
const API_PREFIX = '/api/v1/';
const AUTH_PREFIX = '/api/v1/auth/';

/**
 * `/api/v1/auth/*` per client IP (sign-up, login and resets are where guessing happens); other
 * writes per account; anonymous reads per client IP. Health, metrics, docs and media are never
 * limited (probes and CDNs must get through). Signed-in reads are not limited: the account's
 * writes are, and reads are served from the cache.
 */
export function rateLimitBucket(method: string, path: string, ip: string, userId: string | undefined): RateLimitBucket | undefined {
  if (path.startsWith(AUTH_PREFIX)) return { name: 'auth', key: ip };
  if (!path.startsWith(API_PREFIX)) return undefined;
  if (!READ_METHODS.has(method)) return userId ? { name: 'write', key: userId } : undefined;
  return userId ? undefined : { name: 'read', key: ip };
}
