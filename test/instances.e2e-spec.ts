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
    b = await startTestApp({ env: shared, databaseUrl: a.databaseUrl });
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

  describe('social answers stay right across instances', () => {
    const cachedOn = async (t: TestApp, path: string, token?: string) => {
      await t.http.get(path, { token });
      const again = await t.http.get(path, { token });
      expect(again.headers.get('x-cache')).toBe('HIT');
      return again;
    };

    it('a like and a save answered by A show in the caller’s next read on B, and only in theirs', async () => {
      const [cook, ada, bob] = await Promise.all([signUp(a), signUp(a), signUp(a)]);
      const post = await a.http.post('/api/v1/posts', postInput(), { token: cook.accessToken });
      const path = `/api/v1/posts/${post.body.id}`;
      expect((await cachedOn(b, path, ada.accessToken)).body).toMatchObject({ liked: false, saved: false });
      await cachedOn(b, path, bob.accessToken);
      await a.http.put(`${path}/like`, undefined, { token: ada.accessToken });
      await a.http.put(`${path}/save`, undefined, { token: ada.accessToken });
      expect((await b.http.get(path, { token: ada.accessToken })).body).toMatchObject({ likes: 1, liked: true, saved: true });
      expect((await b.http.get(path, { token: bob.accessToken })).body).toMatchObject({ likes: 1, liked: false, saved: false });
      expect((await b.http.get(path)).body).not.toHaveProperty('liked');
    });

    it('a follow answered by A moves B’s cached feed, profile counts and following flag at once', async () => {
      const [cook, reader] = await Promise.all([signUp(a), signUp(a)]);
      const post = await a.http.post('/api/v1/posts', postInput(), { token: cook.accessToken });
      expect((await cachedOn(b, '/api/v1/feed', reader.accessToken)).body.items).toEqual([]);
      expect((await cachedOn(b, `/api/v1/users/${cook.id}`, reader.accessToken)).body).toMatchObject({ followersCount: 0, following: false });
      expect((await a.http.put(`/api/v1/users/${cook.id}/follow`, undefined, { token: reader.accessToken })).status).toBe(200);
      expect((await b.http.get('/api/v1/feed', { token: reader.accessToken })).body.items.map((p: { id: string }) => p.id)).toEqual([post.body.id]);
      expect((await b.http.get(`/api/v1/users/${cook.id}`, { token: reader.accessToken })).body).toMatchObject({ followersCount: 1, following: true });
      expect((await b.http.get(`/api/v1/users/${cook.id}/followers`)).body.items.map((u: { id: string }) => u.id)).toEqual([reader.id]);
    });

    it('a follow answered by A shows in B’s cached users list at once: counts for everyone, the flag for the follower only', async () => {
      const [cook, reader, other] = await Promise.all([signUp(a), signUp(a), signUp(a)]);
      const list = '/api/v1/users?limit=100';
      const cookIn = (response: { body: { items: { id: string }[] } }) => response.body.items.find((user) => user.id === cook.id);
      expect(cookIn(await cachedOn(b, list, reader.accessToken))).toMatchObject({ followersCount: 0, following: false });
      await cachedOn(b, list, other.accessToken);
      await cachedOn(b, list);
      expect((await a.http.put(`/api/v1/users/${cook.id}/follow`, undefined, { token: reader.accessToken })).status).toBe(200);
      expect(cookIn(await b.http.get(list, { token: reader.accessToken }))).toMatchObject({ followersCount: 1, following: true });
      expect(cookIn(await b.http.get(list, { token: other.accessToken }))).toMatchObject({ followersCount: 1, following: false });
      const anonymous = cookIn(await b.http.get(list));
      expect(anonymous).toMatchObject({ followersCount: 1 });
      expect(anonymous).not.toHaveProperty('following');
    });

    it('a save on B and the post’s deletion on A move the saved list cached on the other', async () => {
      const [cook, reader] = await Promise.all([signUp(a), signUp(a)]);
      const post = await a.http.post('/api/v1/posts', postInput(), { token: cook.accessToken });
      expect((await cachedOn(a, '/api/v1/users/me/saved', reader.accessToken)).body.items).toEqual([]);
      await b.http.put(`/api/v1/posts/${post.body.id}/save`, undefined, { token: reader.accessToken });
      expect((await a.http.get('/api/v1/users/me/saved', { token: reader.accessToken })).body.items.map((p: { id: string }) => p.id)).toEqual([post.body.id]);
      await cachedOn(b, '/api/v1/users/me/saved', reader.accessToken);
      await a.http.delete(`/api/v1/posts/${post.body.id}`, undefined, { token: cook.accessToken });
      expect((await b.http.get('/api/v1/users/me/saved', { token: reader.accessToken })).body.items).toEqual([]);
    });
  });
});
