import { type Account, signUp } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { expectProblem } from './support/problems';
import { startTestApp, type TestApp } from './support/test-app';

describe('social: follows, feed, saved recipes, viewer flags (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const follow = (who: Account, id: string) => t.http.put(`/api/v1/users/${id}/follow`, undefined, { token: who.accessToken });
  const unfollow = (who: Account, id: string) => t.http.delete(`/api/v1/users/${id}/follow`, undefined, { token: who.accessToken });
  const profile = (id: string, who?: Account) => t.http.get(`/api/v1/users/${id}`, { token: who?.accessToken });

  describe('follows', () => {
    it('follows and unfollows idempotently, with exact counts on both profiles', async () => {
      const [ada, bob] = await Promise.all([signUp(t), signUp(t)]);
      const first = await follow(ada, bob.id);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ following: true, followersCount: 1 });
      expect((await follow(ada, bob.id)).body).toEqual({ following: true, followersCount: 1 });
      expect((await profile(bob.id)).body).toMatchObject({ followersCount: 1, followingCount: 0 });
      expect((await profile(ada.id)).body).toMatchObject({ followersCount: 0, followingCount: 1 });
      expect((await unfollow(ada, bob.id)).body).toEqual({ following: false, followersCount: 0 });
      expect((await unfollow(ada, bob.id)).body).toEqual({ following: false, followersCount: 0 });
      expect((await profile(ada.id)).body).toMatchObject({ followingCount: 0 });
    });

    it('refuses to follow oneself (400), unknown users (404) and needs a token (401)', async () => {
      const ada = await signUp(t);
      expectProblem(await follow(ada, ada.id), 400);
      expectProblem(await follow(ada, '00000000-0000-4000-8000-000000000000'), 404);
      expectProblem(await unfollow(ada, '00000000-0000-4000-8000-000000000000'), 404);
      expectProblem(await t.http.put(`/api/v1/users/${ada.id}/follow`), 401);
    });

    it('lists followers and following newest first, by keyset', async () => {
      const star = await signUp(t);
      const fans = [];
      for (let i = 0; i < 5; i += 1) {
        const fan = await signUp(t);
        expect((await follow(fan, star.id)).status).toBe(200);
        fans.push(fan);
      }
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await t.http.get(`/api/v1/users/${star.id}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        ids.push(...page.body.items.map((u: { id: string }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(fans.map((fan) => fan.id).reverse());
      const following = await t.http.get(`/api/v1/users/${fans[0].id}/following`);
      expect(following.body.items.map((u: { id: string }) => u.id)).toEqual([star.id]);
      expect(following.body.items[0]).toMatchObject({ followersCount: 5 });
      expect(following.body.items[0]).not.toHaveProperty('email');
      expectProblem(await t.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000/followers'), 404);
    });

    it('moves every count at once when an account is deleted', async () => {
      const [ada, bob, cy] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
      await follow(ada, bob.id);
      await follow(cy, ada.id);
      expect((await profile(bob.id)).body.followersCount).toBe(1);
      expect((await profile(cy.id)).body.followingCount).toBe(1);
      expect((await t.http.delete('/api/v1/users/me', { password: ada.password }, { token: ada.accessToken })).status).toBe(204);
      expect((await profile(bob.id)).body.followersCount).toBe(0);
      expect((await profile(cy.id)).body.followingCount).toBe(0);
      expect((await t.http.get(`/api/v1/users/${bob.id}/followers`)).body.items).toEqual([]);
    });
  });

  describe('feed', () => {
    it('shows posts by the people the caller follows, newest first, by keyset, and only theirs', async () => {
      const [reader, cook, other] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
      const stranger = await createPost(t, other, { title: 'Not followed' });
      await follow(reader, cook.id);
      const posts = [];
      for (let i = 0; i < 3; i += 1) posts.push(await createPost(t, cook, { title: `Cook ${i}` }));
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await t.http.get(`/api/v1/feed?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: reader.accessToken });
        expect(page.status).toBe(200);
        ids.push(...page.body.items.map((p: { id: string }) => p.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(posts.map((p) => p.id).reverse());
      expect(ids).not.toContain(stranger.id);
    });

    it('is private and cached per caller, and a follow or unfollow shows in the very next read', async () => {
      const [reader, cook] = await Promise.all([signUp(t), signUp(t)]);
      const post = await createPost(t, cook);
      const empty = await t.http.get('/api/v1/feed', { token: reader.accessToken });
      expect(empty.body.items).toEqual([]);
      expect((await t.http.get('/api/v1/feed', { token: reader.accessToken })).headers.get('x-cache')).toBe('HIT');
      await follow(reader, cook.id);
      const filled = await t.http.get('/api/v1/feed', { token: reader.accessToken });
      expect(filled.body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
      expect(filled.headers.get('cache-control')).toBe('private, no-cache');
      expect(filled.headers.get('vary')).toBe('Accept-Encoding, Authorization');
      await unfollow(reader, cook.id);
      expect((await t.http.get('/api/v1/feed', { token: reader.accessToken })).body.items).toEqual([]);
      expectProblem(await t.http.get('/api/v1/feed'), 401);
    });
  });

  describe('saved recipes', () => {
    it('saves idempotently, lists most recently saved first, and forgets deleted posts', async () => {
      const [reader, cook] = await Promise.all([signUp(t), signUp(t)]);
      const [a, b, c] = [await createPost(t, cook), await createPost(t, cook), await createPost(t, cook)];
      const save = (id: string) => t.http.put(`/api/v1/posts/${id}/save`, undefined, { token: reader.accessToken });
      for (const post of [b, a, c]) expect((await save(post.id)).body).toEqual({ saved: true });
      expect((await save(b.id)).body).toEqual({ saved: true });
      const saved = () => t.http.get('/api/v1/users/me/saved', { token: reader.accessToken });
      expect((await saved()).body.items.map((p: { id: string }) => p.id)).toEqual([c.id, a.id, b.id]);
      const unsave = await t.http.delete(`/api/v1/posts/${a.id}/save`, undefined, { token: reader.accessToken });
      expect(unsave.body).toEqual({ saved: false });
      expect((await saved()).body.items.map((p: { id: string }) => p.id)).toEqual([c.id, b.id]);
      expect((await t.http.delete(`/api/v1/posts/${c.id}`, undefined, { token: cook.accessToken })).status).toBe(204);
      expect((await saved()).body.items.map((p: { id: string }) => p.id)).toEqual([b.id]);
      expectProblem(await save(c.id), 404);
      expectProblem(await t.http.delete(`/api/v1/posts/${c.id}/save`, undefined, { token: reader.accessToken }), 404);
    });

    it('pages by keyset', async () => {
      const [reader, cook] = await Promise.all([signUp(t), signUp(t)]);
      const posts = [];
      for (let i = 0; i < 5; i += 1) {
        const post = await createPost(t, cook);
        await t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: reader.accessToken });
        posts.push(post);
      }
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await t.http.get(`/api/v1/users/me/saved?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: reader.accessToken });
        ids.push(...page.body.items.map((p: { id: string }) => p.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(posts.map((p) => p.id).reverse());
    });
  });

  describe('viewer flags', () => {
    it('omits flags for anonymous callers and shows each caller its own, on every kind of answer', async () => {
      const [ada, bob, cook] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
      const post = await createPost(t, cook);
      await t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token: ada.accessToken });
      await t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: bob.accessToken });
      await follow(ada, cook.id);
      const anonymous = await t.http.get(`/api/v1/posts/${post.id}`);
      expect(anonymous.body).not.toHaveProperty('liked');
      expect(anonymous.body).not.toHaveProperty('saved');
      expect(anonymous.headers.get('cache-control')).toBe('no-cache');
      expect(anonymous.headers.get('vary')).toBe('Accept-Encoding, Authorization');
      const forAda = await t.http.get(`/api/v1/posts/${post.id}`, { token: ada.accessToken });
      const forBob = await t.http.get(`/api/v1/posts/${post.id}`, { token: bob.accessToken });
      expect(forAda.body).toMatchObject({ id: post.id, liked: true, saved: false });
      expect(forBob.body).toMatchObject({ id: post.id, liked: false, saved: true });
      expect(forAda.headers.get('cache-control')).toBe('private, no-cache');
      expect(forAda.headers.get('etag')).not.toBe(forBob.headers.get('etag'));
      expect(forAda.headers.get('etag')).not.toBe(anonymous.headers.get('etag'));
      const list = (who?: Account) => t.http.get(`/api/v1/users/${cook.id}/posts`, { token: who?.accessToken });
      expect((await list(ada)).body.items[0]).toMatchObject({ liked: true, saved: false });
      expect((await list(bob)).body.items[0]).toMatchObject({ liked: false, saved: true });
      expect((await list()).body.items[0]).not.toHaveProperty('liked');
      expect((await profile(cook.id, ada)).body.following).toBe(true);
      expect((await profile(cook.id, bob)).body.following).toBe(false);
      expect((await profile(cook.id)).body).not.toHaveProperty('following');
      const bobsSaved = await t.http.get('/api/v1/users/me/saved', { token: bob.accessToken });
      expect(bobsSaved.body.items[0]).toMatchObject({ id: post.id, liked: false, saved: true });
      const adasFeed = await t.http.get('/api/v1/feed', { token: ada.accessToken });
      expect(adasFeed.body.items[0]).toMatchObject({ id: post.id, liked: true, saved: false });
      const written = await t.http.patch(`/api/v1/posts/${post.id}`, { title: 'Renamed' }, { token: cook.accessToken });
      expect(written.body).toMatchObject({ liked: false, saved: false });
    });

    it('shows a caller’s own like, save and follow in the next read, served from the shared cache entry', async () => {
      const [ada, cook] = await Promise.all([signUp(t), signUp(t)]);
      const post = await createPost(t, cook);
      const read = () => t.http.get(`/api/v1/posts/${post.id}`, { token: ada.accessToken });
      expect((await read()).body).toMatchObject({ liked: false, saved: false });
      await t.http.get(`/api/v1/posts/${post.id}`);
      expect((await read()).headers.get('x-cache')).toBe('HIT');
      await t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: ada.accessToken });
      const afterSave = await read();
      expect(afterSave.headers.get('x-cache')).toBe('HIT'); // the shared entry did not move: only Ada's flags did
      expect(afterSave.body).toMatchObject({ liked: false, saved: true });
      await t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token: ada.accessToken });
      expect((await read()).body).toMatchObject({ likes: 1, liked: true, saved: true });
      await follow(ada, cook.id);
      expect((await profile(cook.id, ada)).body.following).toBe(true);
      await unfollow(ada, cook.id);
      expect((await profile(cook.id, ada)).body.following).toBe(false);
    });

    it('answers 304 to a personalised ETag only while the caller’s flags are unchanged', async () => {
      const [ada, cook] = await Promise.all([signUp(t), signUp(t)]);
      const post = await createPost(t, cook);
      const first = await t.http.get(`/api/v1/posts/${post.id}`, { token: ada.accessToken });
      const etag = first.headers.get('etag')!;
      const again = await t.http.get(`/api/v1/posts/${post.id}`, { token: ada.accessToken, headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      await t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: ada.accessToken });
      const changed = await t.http.get(`/api/v1/posts/${post.id}`, { token: ada.accessToken, headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.body.saved).toBe(true);
    });

    it('answers 401 to an invalid token on a public read rather than dropping the flags silently', async () => {
      const cook = await signUp(t);
      const post = await createPost(t, cook);
      expectProblem(await t.http.get(`/api/v1/posts/${post.id}`, { token: 'not-a-token' }), 401);
      expectProblem(await t.http.get('/api/v1/posts', { headers: { authorization: 'Basic abc' } }), 401);
      expect((await t.http.get('/api/v1/auth/confirm?token=x', { token: 'not-a-token' })).status).toBe(400);
    });
  });
});
