import { randomBytes } from 'node:crypto';
import { PASSWORD, signUp } from './support/accounts';
import { postInput } from './support/posts';
import { describeWithRedis } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';

describeWithRedis('two instances sharing PostgreSQL and Redis (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const shared = { CACHE_KEY_PREFIX: `pair-${randomBytes(4).toString('hex')}` };
    a = await startTestApp({ env: shared });
    b = await startTestApp({ env: shared, databaseUrl: a.databaseUrl, smtp: a.smtp });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const me = (t: TestApp, token: string) => t.http.get('/api/v1/users/me', { token });

  it('a logout answered by A ends the access token on B, which had vouched for it a moment before', async () => {
    const account = await signUp(a);
    expect((await me(b, account.accessToken)).status).toBe(200);
    expect((await a.http.post('/api/v1/auth/logout', { refreshToken: account.refreshToken })).status).toBe(204);
    expect((await me(b, account.accessToken)).status).toBe(401);
  });

  it('a password change on B ends the other sessions as seen by A', async () => {
    const account = await signUp(a);
    const second = await b.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    expect((await me(a, second.body.accessToken)).status).toBe(200);
    const change = await b.http.post('/api/v1/auth/password/change', { currentPassword: PASSWORD, newPassword: 'new-password-99' }, { token: account.accessToken });
    expect(change.status).toBe(200);
    expect((await me(a, second.body.accessToken)).status).toBe(401);
    expect((await me(a, account.accessToken)).status).toBe(200);
  });

  it('an account deleted through A is gone for B at once', async () => {
    const account = await signUp(a);
    expect((await me(b, account.accessToken)).status).toBe(200);
    expect((await a.http.delete('/api/v1/users/me', { password: PASSWORD }, { token: account.accessToken })).status).toBe(204);
    expect((await me(b, account.accessToken)).status).toBe(401);
    expect((await b.http.get(`/api/v1/users/${account.id}`)).status).toBe(404);
  });

  it('a comment deleted through A is gone from B’s cached GET /posts/:id/comments/:commentId at once', async () => {
    const account = await signUp(a);
    const post = await a.http.post('/api/v1/posts', postInput(), { token: account.accessToken });
    const comment = await a.http.post(`/api/v1/posts/${post.body.id}/comments`, { body: 'Shared' }, { token: account.accessToken });
    const path = comment.headers.get('location')!;
    await b.http.get(path);
    const cached = await b.http.get(path);
    expect([cached.status, cached.headers.get('x-cache')]).toEqual([200, 'HIT']);
    expect((await a.http.delete(path, undefined, { token: account.accessToken })).status).toBe(204);
    expect((await b.http.get(path)).status).toBe(404);
  });
});
