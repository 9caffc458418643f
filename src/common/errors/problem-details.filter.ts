import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  NotFoundException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { isRetryable, isUniqueViolation, missingReference } from '../../database/pg-errors';
import { type Problem, PROBLEM_CONTENT_TYPE, problem } from './problem-details';
import { ValidationFailedException } from './validation-failed.exception';

// Connection-level failures (PostgreSQL down or restarting) mean 503, not a bug.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The one place errors are shaped: RFC 9457 problem+json, internals never leave the server. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const instance = request.url.split('?')[0];
    const unrouted = isUnroutedRequest(request, exception);
    const routed = unrouted ? allowedMethods(request, instance) : [];
    // A route for this very method that found nothing (a missing /media file) is a 404, not a 405.
    const allowed = routed.includes(request.method) ? [] : routed;
    const body =
      allowed.length > 0
        ? problem(405, `${request.method} is not allowed here; use ${allowed.join(', ')}.`, instance)
        : unrouted
          ? problem(404, 'Nothing exists at this path.', instance)
          : toProblem(exception, instance);
    // The path only: query strings can hold tokens (confirmation links).
    if (body.status >= 500) request.log.error({ err: exception instanceof Error ? exception : new Error(String(exception)) }, `${request.method} ${instance} failed`);
    if (allowed.length > 0) void reply.header('Allow', allowed.join(', '));
    if (body.status === 503 && !reply.hasHeader('Retry-After')) void reply.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    }
    void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send({ ...body, requestId: request.id });
  }
}

export function toProblem(exception: unknown, instance: string): Problem {
  if (exception instanceof ValidationFailedException) {
    return problem(400, exception.message, instance, exception.errors);
  }
  if (exception instanceof HttpException) {
    return problem(exception.getStatus(), httpDetail(exception), instance);
  }
  const fastifyStatus = (exception as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    // Fastify's own request errors (body parsing, media type, size): safe to describe.
    return problem(fastifyStatus, (exception as Error).message, instance);
  }
  if (isUnavailable(exception)) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, 'A service this request needs is unavailable; retry later.', instance);
  }
  // Safety nets: each write path answers these itself; should one slip through, it is still the
  // client's race or input, never a 500.
  if (isRetryable(exception)) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, 'The request kept colliding with concurrent changes; retry it.', instance);
  }
  if (missingReference(exception) || isUniqueViolation(exception)) {
    return problem(HttpStatus.CONFLICT, 'The request conflicts with a concurrent change (something it refers to was removed or taken).', instance);
  }
  if (exception instanceof EntityNotFoundError) return problem(HttpStatus.NOT_FOUND, 'Not found.', instance);
  if (exception instanceof QueryFailedError && /^22/.test(String((exception as { code?: string }).code))) {
    // Data exceptions (bad UUID, value out of range) slipping past validation are the client's input.
    return problem(HttpStatus.BAD_REQUEST, 'A value in the request is not valid.', instance);
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'An unexpected error occurred.', instance);
}

/** Nest's "no route" 404 (Fastify marks such requests is404), as opposed to a handler's own 404s. */
function isUnroutedRequest(request: FastifyRequest, exception: unknown): boolean {
  return exception instanceof NotFoundException && (request as { is404?: boolean }).is404 === true;
}

/** The methods that have a route at this path: a wrong method there is a 405, not a 404. */
function allowedMethods(request: FastifyRequest, path: string): string[] {
  return METHODS.filter((method) => request.server.findRoute({ method, url: path }) !== null);
}

function httpDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function isUnavailable(exception: unknown): boolean {
  const code = (exception as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return exception instanceof Error && UNAVAILABLE_MESSAGES.test(exception.message);
}
