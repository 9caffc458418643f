import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

class BodyError extends Error {
  readonly statusCode = 400;
}

/**
 * The only body parser: JSON objects sent as application/json. Anything else is a 415
 * (Fastify's answer for an unregistered media type); `null`, arrays, scalars, `__proto__`
 * or `constructor.prototype` keys and strings holding U+0000 are 400s.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/(.+\+)?json$/, { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, parseJsonObject(text as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new BodyError('The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = sjson.parse(text, rejectNulCharacters, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    if (error instanceof BodyError) throw error;
    if (error instanceof SyntaxError && /prototype/i.test(error.message)) {
      throw new BodyError('The request body may not contain __proto__ or constructor.prototype keys.');
    }
    throw new BodyError('The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BodyError('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function rejectNulCharacters(this: unknown, key: string, value: unknown): unknown {
  if ((typeof value === 'string' && value.includes('\u0000')) || key.includes('\u0000')) {
    throw new BodyError('Strings in the request body may not contain the U+0000 character.');
  }
  return value;
}
