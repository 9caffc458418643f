import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { PROBLEM_CONTENT_TYPE, problem, type ProblemDetailsDto } from './problem-details';
import { ValidationFailedException } from './validation-failed.exception';

const logger = new Logger('Errors');
// Connection-level failures (PostgreSQL down or restarting) mean 503, not a bug.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** The one place errors are shaped: RFC 9457 problem+json, internals never leave the server. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const instance = request.url.split('?')[0];
    const body = toProblem(exception, instance);
    if (body.status >= 500) logger.error(`${request.method} ${request.url}: ${describe(exception)}`);
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    }
    void reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
  }
}

export function toProblem(exception: unknown, instance: string): ProblemDetailsDto {
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
  if (exception instanceof QueryFailedError && /^22/.test(String((exception as { code?: string }).code))) {
    // Data exceptions (bad UUID, value out of range) slipping past validation are the client's input.
    return problem(HttpStatus.BAD_REQUEST, 'A value in the request is not valid.', instance);
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'An unexpected error occurred.', instance);
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

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
