import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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

const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers are too large (URLs included).'],
};

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (oversized headers or URL, malformed
 * HTTP, timeouts): answered as problem+json on the raw socket, then closed, as Node itself would.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP.'];
  const requestId = randomUUID();
  const body = JSON.stringify({ ...problem(status, detail, ''), requestId });
  if (!socket.writable) return void socket.destroy(error);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}
