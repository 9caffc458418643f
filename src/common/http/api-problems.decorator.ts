import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '../errors/problem-details';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed: `errors` lists each field.',
  401: 'Missing, invalid or expired access token, or the session has ended.',
  403: 'Authenticated but not allowed.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than the limit (256 KiB of JSON).',
  415: 'The body is not application/json.',
  429: 'Too many requests: wait `Retry-After` seconds.',
  503: 'A dependency (the database) is unavailable: retry after `Retry-After` seconds.',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } } };

/** Documents error answers as problem+json; pass `[status, description]` to say more than the default. */
export function ApiProblems(...statuses: (number | [number, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DESCRIPTIONS[entry] ?? STATUS_CODES[entry]];
      const headers = status === 429 || status === 503 ? RETRY_AFTER : undefined;
      return ApiResponse({ status, description, headers, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } });
    }),
  );
}

/** The problems of an operation that takes a JSON body: too large, or not JSON. */
export const BODY_PROBLEMS = [413, 415] as const;
