import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './cursor';

const ID = '4f6b3a5e-2f7d-4a8e-9d53-2c0f5b6c1a11';

describe('keyset cursors', () => {
  it('round-trip a timestamp position with microseconds', () => {
    const position = { key: '2026-11-22T10:00:00.123456Z', id: ID };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'timestamp')).toEqual(position);
  });

  it('round-trip an integer position', () => {
    expect(decodeCursor(encodeCursor({ key: 42, id: ID }), 'integer')).toEqual({ key: 42, id: ID });
  });

  it.each([
    ['not base64 JSON', 'forged'],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad id', encodeCursor({ key: '2026-11-22T10:00:00Z', id: 'x; DROP TABLE users' })],
    ['a bad timestamp', encodeCursor({ key: 'yesterday', id: ID })],
    ['an impossible date', encodeCursor({ key: '2026-13-45T10:00:00Z', id: ID })],
    ['a number for a timestamp', encodeCursor({ key: 5, id: ID })],
  ])('reject %s with a 400', (_name, cursor) => {
    expect(() => decodeCursor(cursor, 'timestamp')).toThrow(BadRequestException);
  });

  it('rejects a timestamp where an integer belongs', () => {
    expect(() => decodeCursor(encodeCursor({ key: '2026-11-22T10:00:00Z', id: ID }), 'integer')).toThrow(BadRequestException);
  });
});
