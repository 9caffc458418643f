import { ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { toProblem } from './problem-details.filter';
import { ValidationFailedException } from './validation-failed.exception';

describe('toProblem', () => {
  it('shapes HTTP exceptions as RFC 9457 problems', () => {
    expect(toProblem(new ConflictException('Taken.'), '/x')).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'Taken.', instance: '/x' });
    expect(toProblem(new NotFoundException(), '/y').detail).toBe('Not Found');
    expect(toProblem(new HttpException({ message: ['a', 'b'] }, 422), '/z').detail).toBe('a; b');
  });

  it('lists validation errors per field', () => {
    const problem = toProblem(new ValidationFailedException([{ field: 'email', message: 'bad' }]), '/r');
    expect(problem).toMatchObject({ status: 400, errors: [{ field: 'email', message: 'bad' }] });
  });

  it('keeps Fastify request errors as 4xx', () => {
    expect(toProblem(Object.assign(new Error('Unsupported Media Type: text/plain'), { statusCode: 415 }), '/r').status).toBe(415);
  });

  it('answers 503 when the database is unreachable', () => {
    expect(toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), '/r').status).toBe(503);
    expect(toProblem(new Error('Connection terminated unexpectedly'), '/r').status).toBe(503);
  });

  it('turns database data exceptions into 400 and hides everything else behind a 500', () => {
    const dataError = Object.assign(new QueryFailedError('SELECT $1::uuid', ['x'], new Error('invalid input syntax for type uuid')), { code: '22P02' });
    expect(toProblem(dataError, '/r')).toMatchObject({ status: 400, detail: 'A value in the request is not valid.' });
    const unknown = toProblem(new TypeError('secret internals at line 4'), '/r');
    expect(unknown).toMatchObject({ status: 500, title: 'Internal Server Error', detail: 'An unexpected error occurred.' });
    expect(JSON.stringify(unknown)).not.toContain('secret');
  });
});
