import fc from 'fast-check';
import { rateLimitBucket } from './rate-limit-policy';

describe('rateLimitBucket', () => {
  it.each([
    ['POST', '/api/v1/auth/login', undefined, { name: 'auth', key: 'ip' }],
    ['POST', '/api/v1/auth/logout', 'u1', { name: 'auth', key: 'ip' }],
    ['GET', '/api/v1/auth/confirm', undefined, { name: 'auth', key: 'ip' }],
    ['POST', '/api/v1/posts', 'u1', { name: 'write', key: 'u1' }],
    ['DELETE', '/api/v1/photos/:id', 'u1', { name: 'write', key: 'u1' }],
    ['GET', '/api/v1/posts', undefined, { name: 'read', key: 'ip' }],
    ['HEAD', '/api/v1/posts/:id', undefined, { name: 'read', key: 'ip' }],
    ['GET', '/api/v1/feed', 'u1', undefined],
    ['GET', '/health', undefined, undefined],
    ['GET', '/health/ready', undefined, undefined],
    ['GET', '/metrics', undefined, undefined],
    ['GET', '/media/photos/x/thumb.webp', undefined, undefined],
  ])('%s %s (caller %s)', (method, path, userId, bucket) => {
    expect(rateLimitBucket(method, path, 'ip', userId)).toEqual(bucket);
  });

  it('never counts a write against anyone but its account, nor an /auth request against anyone but its client', () => {
    fc.assert(
      fc.property(fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), fc.string(), fc.uuid(), (method, rest, userId) => {
        expect(rateLimitBucket(method, `/api/v1/posts/${rest}`, 'ip', userId)).toEqual({ name: 'write', key: userId });
        expect(rateLimitBucket(method, `/api/v1/auth/${rest}`, 'ip', userId)).toEqual({ name: 'auth', key: 'ip' });
      }),
    );
  });
});
