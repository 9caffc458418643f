import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** JSON bodies the API accepts. */
export const BODY_LIMIT_BYTES = 256 * 1024;
/**
 * How much of an over-large body is still read (and thrown away) so the client, which may still be
 * sending, gets to read the 413; past this the connection is closed instead.
 */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * The only body parser: JSON objects sent as application/json. Anything else is a 415
 * (Fastify's answer for an unregistered media type); `null`, arrays, scalars, `__proto__`
 * or `constructor.prototype` keys and strings holding U+0000 or lone surrogates are 400s; over BODY_LIMIT_BYTES a 413,
 * answered once the body has been read (up to DRAIN_LIMIT_BYTES), never by a dropped connection.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, limit = BODY_LIMIT_BYTES): void {
  fastify.removeAllContentTypeParsers();
  // No `parseAs`: Fastify's own reader stops at the limit and closes the connection mid-upload.
  // The pattern sees the whole header: `application/json; charset=utf-8`, any letter case, +json types.
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json\s*(;.*)?$/i, (request, payload, done) => {
    const tooLarge = () => new BodyError(`The request body is larger than ${limit} bytes.`, 413);
    const charset = /;\s*charset\s*=\s*"?([\w-]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) return done(new BodyError('JSON bodies must be UTF-8 (RFC 8259).', 415), undefined);
    if (Number(request.headers['content-length']) > DRAIN_LIMIT_BYTES) return done(tooLarge(), undefined);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (error: Error | null, body?: unknown): void => {
      if (settled) return;
      settled = true;
      payload.removeAllListeners('data');
      done(error, body);
    };
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (received > DRAIN_LIMIT_BYTES) settle(tooLarge());
      else chunks.length = 0; // drained: read and dropped
    });
    payload.on('error', () => settle(new BodyError('The request body could not be read.')));
    payload.on('end', () => {
      if (received > limit) return settle(tooLarge());
      try {
        settle(null, parseJsonObject(Buffer.concat(chunks, received).toString('utf8')));
      } catch (error) {
        settle(error as Error);
      }
    });
  });
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new BodyError('The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = sjson.parse(text, rejectUnstorableStrings, { protoAction: 'error', constructorAction: 'error' });
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

/** U+0000 cannot be stored in PostgreSQL text; a lone surrogate (`"\ud800"`) is no character at all. */
function rejectUnstorableStrings(this: unknown, key: string, value: unknown): unknown {
  for (const text of typeof value === 'string' ? [key, value] : [key]) {
    if (text.includes('\u0000')) throw new BodyError('Strings in the request body may not contain the U+0000 character.');
    if (!text.isWellFormed()) throw new BodyError('Strings in the request body must be valid Unicode (no lone surrogates).');
  }
  return value;
}
