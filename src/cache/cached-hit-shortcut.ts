import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedRequest, bearerToken } from '../auth/sessions/access-token.guard';
import type { SessionsService } from '../auth/sessions/sessions.service';
import type { ResponseCacheInterceptor } from './response-cache.interceptor';

/**
 * Serves response-cache hits from a Fastify onRequest hook, ahead of Nest's router, guards, pipes
 * and interceptors (measured: most of a hit's CPU was that pipeline, not the cache). It answers
 * only what the pipeline would have answered the same way: GETs of routes the interceptor has
 * seen cache an answer for this kind of caller, whose entry is there (see findHit). Everything
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
      if (authorization !== undefined) {
        const token = bearerToken(request);
        if (!token) return;
        // The guards' own checks: signature and expiry, then a live session (so a revoked session
        // is refused here exactly as there), its state read in the cache's own MGET.
        request.caller = await sessions.claimedCaller(token);
      }
      const caller = request.caller;
      const hit = await cache.findHit(request, caller ? [sessions.livenessKey(caller)] : []);
      if (!hit) return;
      if (caller) await (hit.alsoRead ? sessions.requireLiveFrom(caller, hit.alsoRead[0]) : sessions.requireLive(caller));
      return reply.send(cache.sendHit(request, reply, hit));
    } catch {
      // An invalid token, or the cache not answering: the pipeline decides (401, or a miss).
      request.caller = undefined;
    }
  });
}
