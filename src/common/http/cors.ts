import type { FastifyCorsOptions } from '@fastify/cors';
import type { AppConfig } from '../../config/app-config';

/** Headers a browser app may send and read; the rate-limit ones come with shared rate limits. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-None-Match', 'Cache-Control', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'X-Cache', 'Location', 'Retry-After', 'X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the origins in CORS_ORIGINS: preflights answered 204, answers readable by the page;
 * any other origin gets no CORS headers at all (the browser then blocks it). No cookies are used,
 * so credentials stay off and `*` is safe for public deployments.
 */
export function corsOptions(config: AppConfig): FastifyCorsOptions {
  const allowed = config.corsOrigins;
  return {
    origin: allowed === '*' ? '*' : (origin, callback) => callback(null, origin !== undefined && allowed.includes(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
    strictPreflight: false,
  };
}
