import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldErrorDto {
  @ApiProperty({ example: 'email', description: 'Path of the offending field (dots for nesting).' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

/** RFC 9457 problem details, the body of every error answer. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank', description: '`about:blank`: the status code says it all.' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is invalid.' })
  detail: string;

  @ApiProperty({ example: '/api/v1/auth/register', description: 'The path of the request.' })
  instance: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Validation failures, one per field and rule.' })
  errors?: FieldErrorDto[];

  @ApiProperty({ example: '3f1c6c9e-8a51-4c1e-9d0a-2f6f7f9b1c2d', description: 'The X-Request-Id of this request: quote it when reporting a problem.' })
  requestId: string;
}

/** A problem as built before the request id is added (the filter adds it). */
export type Problem = Omit<ProblemDetailsDto, 'requestId'>;

export function problem(
  status: number,
  detail: string,
  instance: string,
  errors?: FieldErrorDto[],
): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
