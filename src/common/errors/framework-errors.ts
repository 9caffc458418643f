import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details';

/**
 * Fastify's routing errors, which happen before Nest sees the request, as problem details:
 * a path parameter longer than any id is a 404 (nothing has that id), a malformed URL a 400.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const instance = request.url.split('?')[0];
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(404, 'Nothing exists at this path.', instance)
      : problem(400, 'The URL is not valid (check its percent-encoding).', instance);
  void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).header('X-Request-Id', request.id).send({ ...body, requestId: request.id });
}
