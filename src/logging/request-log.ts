import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AuthenticatedRequest } from '../auth/sessions/access-token.guard';

/**
 * Every answer carries X-Request-Id, and every request gets one log line when it ends: method,
 * route (the pattern, not the URL: no ids or tokens), status, duration, cache outcome and the
 * caller's id when authenticated; pino adds the request id.
 */
export function registerRequestLog(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // Below LOG_LEVEL=info the line is dropped anyway: skip building it (route and headers are getters).
    if (!(request.log as Logger).isLevelEnabled('info')) return done();
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        cache: reply.getHeader('x-cache') ?? undefined,
        userId: (request as AuthenticatedRequest).caller?.userId,
      },
      'request',
    );
    done();
  });
}
