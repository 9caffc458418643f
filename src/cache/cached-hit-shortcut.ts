import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedRequest, bearerToken } from '../auth/sessions/access-token.guard';
import type { SessionsService } from '../auth/sessions/sessions.service';
import type { ResponseCacheInterceptor } from './response-cache.interceptor';

/**
 * Serves response-cache hits from a Fastify onRequest hook, ahead of Nest's router, guards, pipes
 * and interceptors (measured: most of a hit's CPU was that pipeline, not the cache). It answers
 * only what the pipeline would have answered the same way: GETs of routes the interceptor has
 * seen cache an answer for this kind of caller, whose entry is there (see serveHit). Everything
 * else — misses, bypasses, invalid queries or tokens, anonymous reads while READ_RATE_LIMIT counts
 * them — goes through the pipeline untouched. Registered after the hooks that add CORS, request-id
 * and draining headers, so its answers carry them too.
 */
export function registerCachedHitShortcut(fastify: FastifyInstance, cache: ResponseCacheInterceptor, sessions: SessionsService, countsAnonymousReads: boolean): void {
  fastify.addHook('onRequest', async (request: FastifyRequest & AuthenticatedRequest, reply: FastifyReply) => {
    if (request.method !== 'GET') return;
    const authorization = request.headers.authorization;
    if (authorization === undefined && countsAnonymousReads) return;
    try {
      let live: Promise<void> | undefined;
      if (authorization !== undefined) {
        const token = bearerToken(request);
        if (!token) return;
        // The guards' own checks (signature, expiry, then a live session, so a revoked session is
        // refused here exactly as there); the liveness read goes out beside the cache's own read.
        request.caller = await sessions.claimedCaller(token);
        live = sessions.requireLive(request.caller);
      }
      const [, hit] = await Promise.all([live, cache.findHit(request)]);
      if (hit) return reply.send(cache.sendHit(request, reply, hit));
    } catch {
      // An invalid token, or the cache not answering: the pipeline decides (401, or a miss).
      request.caller = undefined;
    }
  });
}
