import { BadRequestException } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A keyset position: the sort key of the last row a page returned, then its id as tie-breaker. */
export interface KeysetPosition {
  key: string | number;
  id: string | number;
}

/** Opaque to clients: base64url of a small JSON array. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

/** Decodes and checks a cursor; anything forged or malformed is a 400, never a database error. */
export function decodeCursor(cursor: string, keyKind: 'timestamp' | 'integer', idKind: 'uuid' | 'integer' = 'uuid'): KeysetPosition {
  const invalid = new BadRequestException('The cursor is invalid; use the nextCursor of a previous page.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid;
  const [key, id] = parsed as unknown[];
  if (idKind === 'uuid' && (typeof id !== 'string' || !UUID.test(id))) throw invalid;
  if (idKind === 'integer' && (typeof id !== 'number' || !Number.isSafeInteger(id))) throw invalid;
  if (keyKind === 'timestamp' && (typeof key !== 'string' || !TIMESTAMP.test(key) || Number.isNaN(Date.parse(key)))) throw invalid;
  if (keyKind === 'integer' && (typeof key !== 'number' || !Number.isSafeInteger(key))) throw invalid;
  return { key: key as string | number, id: id as string | number };
}

/** SQL for a timestamptz column as ISO-8601 UTC with microseconds: JS Dates would drop the microseconds a keyset needs. */
export const isoMicros = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** SQL: the fixed-width text of isoMicros cut to milliseconds, as every date the API shows. */
export const isoMillis = (micros: string): string => `left(${micros}, 23) || 'Z'`;

/**
 * A page size written into SQL rather than bound: a prepared statement's generic plan assumes a
 * bound LIMIT keeps 10 % of the rows (measured on posts: a hash join over every ingredient line,
 * 488 ms). Only a positive safe integer gets in.
 */
export function writtenLimit(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`invalid page limit ${limit}`);
  return `LIMIT ${limit}`;
}
