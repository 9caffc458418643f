import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe 256-bit random token: what we hand out (links, refresh tokens). */
export function newRandomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What we store instead: high-entropy tokens need no slow hash, SHA-256 is enough. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
