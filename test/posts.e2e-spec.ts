import { signUp, type Account, PASSWORD } from './support/accounts';
import { createPost, postInput } from './support/posts';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

describe('posts (e2e)', () => {
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  beforeAll(async () => {
    t = await startTestApp();
    alice = await signUp(t, { firstName: 'Alice', lastName: 'Cook' });
    bob = await signUp(t, { firstName: 'Bob', lastName: 'Baker' });
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('publishes a recipe with its ingredients in order, creating unknown ingredients', async () => {
      const response = await t.http.post('/api/v1/posts', postInput({ ingredients: [{ name: '  Saffron ', quantity: 'a pinch' }, { name: 'rice', quantity: '300 g' }] }), { token: alice.accessToken });
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe(`/api/v1/posts/${response.body.id}`);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Tomato and basil bruschetta',
        body: expect.stringContaining('Toast the bread'),
        complexity: 'easy',
        cookingTimeMinutes: 15,
        servings: 4,
        author: { id: alice.id, firstName: 'Alice', lastName: 'Cook' },
        likes: 0,
        commentsCount: 0,
        ingredients: [
          { id: expect.any(Number), name: 'Saffron', quantity: 'a pinch' },
          { id: expect.any(Number), name: 'rice', quantity: '300 g' },
        ],
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        updatedAt: expect.any(String),
        cover: null,
        photos: [],
        liked: false,
        saved: false,
      });
      const read = await t.http.get(`/api/v1/posts/${response.body.id}`, { token: alice.accessToken });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(response.body);
      const { liked, saved, ...anonymous } = response.body;
      expect([liked, saved]).toEqual([false, false]);
      expect((await t.http.get(`/api/v1/posts/${response.body.id}`)).body).toEqual(anonymous);
      expect((await t.http.get(`/api/v1/users/${alice.id}`)).body.postsCount).toBeGreaterThanOrEqual(1);
    });

    it('matches existing ingredient names case-insensitively', async () => {
      const first = await createPost(t, alice, { ingredients: [{ name: 'Paprika' }] });
      const second = await createPost(t, bob, { ingredients: [{ name: 'PAPRIKA' }] });
      expect(second.ingredients[0]).toEqual({ id: first.ingredients[0].id, name: 'Paprika', quantity: null });
    });

    it('refuses the same ingredient twice in one recipe, and writes nothing', async () => {
      const before = await sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM posts');
      const response = await t.http.post('/api/v1/posts', postInput({ ingredients: [{ name: 'salt' }, { name: 'SALT' }] }), { token: alice.accessToken });
      expect(response.status).toBe(400);
      expect(await sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM posts')).toEqual(before);
    });

    it('takes a recipe with 100 ingredients and reads it back in order', async () => {
      const ingredients = Array.from({ length: 100 }, (_, i) => ({ name: `spice ${i}`, quantity: `${i} g` }));
      const post = await createPost(t, alice, { ingredients });
      const read = await t.http.get(`/api/v1/posts/${post.id}`);
      expect(read.body.ingredients.map((i: { name: string }) => i.name)).toEqual(ingredients.map((i) => i.name));
      const tooMany = await t.http.post('/api/v1/posts', postInput({ ingredients: [...ingredients, { name: 'one more' }] }), { token: alice.accessToken });
      expect(tooMany.status).toBe(400);
    });

    it('answers 404 for an unknown post and 400 for a malformed id', async () => {
      expect((await t.http.get('/api/v1/posts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.http.get('/api/v1/posts/123')).status).toBe(400);
    });

    it.each([
      ['a 10 000-character title', { title: 't'.repeat(10_000) }, 'title'],
      ['an empty title', { title: '  ' }, 'title'],
      ['a body over 20 000 characters', { body: 'b'.repeat(20_001) }, 'body'],
      ['an unknown complexity', { complexity: 'extreme' }, 'complexity'],
      ['a fractional cooking time', { cookingTimeMinutes: 1.5 }, 'cookingTimeMinutes'],
      ['zero servings', { servings: 0 }, 'servings'],
      ['ingredients that are not a list', { ingredients: 'tomato' }, 'ingredients'],
      ['an ingredient without a name', { ingredients: [{ quantity: '1' }] }, 'ingredients.0.name'],
      ['an over-long quantity', { ingredients: [{ name: 'x', quantity: 'q'.repeat(101) }] }, 'ingredients.0.quantity'],
      ['an unknown field', { isFeatured: true }, 'isFeatured'],
      ['a null title', { title: null }, 'title'],
    ])('rejects %s with a 400 naming the field', async (_name, override, field) => {
      const response = await t.http.post('/api/v1/posts', postInput(override), { token: alice.accessToken });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('update and delete: the permission matrix', () => {
    let post: { id: string };
    beforeEach(async () => {
      post = await createPost(t, alice);
    });

    it.each([
      ['PUT', postInput({ title: 'Replaced' })],
      ['PATCH', { title: 'Patched' }],
      ['DELETE', undefined],
    ])('%s: 401 anonymous, 403 another user, 404 unknown id, then 2xx for the owner', async (method, body) => {
      const path = `/api/v1/posts/${post.id}`;
      expect((await t.http.request(method, path, body)).status).toBe(401);
      expect((await t.http.request(method, path, body, { token: bob.accessToken })).status).toBe(403);
      expect((await t.http.request(method, '/api/v1/posts/00000000-0000-4000-8000-000000000000', body, { token: alice.accessToken })).status).toBe(404);
      const owner = await t.http.request(method, path, body, { token: alice.accessToken });
      expect(owner.status).toBe(method === 'DELETE' ? 204 : 200);
      expect((await t.http.get(path)).status).toBe(method === 'DELETE' ? 404 : 200);
    });

    it('PUT replaces every field, clearing optional ones left out', async () => {
      const { cookingTimeMinutes: _c, servings: _s, ...rest } = postInput({ title: 'New title', complexity: 'hard', ingredients: [{ name: 'flour', quantity: '500 g' }] });
      const response = await t.http.put(`/api/v1/posts/${post.id}`, rest, { token: alice.accessToken });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ title: 'New title', complexity: 'hard', cookingTimeMinutes: null, servings: null, ingredients: [{ name: 'flour', quantity: '500 g' }] });
      expect(new Date(response.body.updatedAt).getTime()).toBeGreaterThan(new Date(response.body.createdAt).getTime());
      const partial = await t.http.put(`/api/v1/posts/${post.id}`, { title: 'Only a title' }, { token: alice.accessToken });
      expect(partial.status).toBe(400);
    });

    it('PATCH changes only what it names; ingredients, when named, are replaced', async () => {
      const patched = await t.http.patch(`/api/v1/posts/${post.id}`, { servings: 2 }, { token: alice.accessToken });
      expect(patched.body).toMatchObject({ title: 'Tomato and basil bruschetta', servings: 2, cookingTimeMinutes: 15 });
      expect(patched.body.ingredients.map((i: { name: string }) => i.name)).toEqual(['tomato', 'basil', 'bread']);
      const cleared = await t.http.patch(`/api/v1/posts/${post.id}`, { cookingTimeMinutes: null, ingredients: [{ name: 'basil' }] }, { token: alice.accessToken });
      expect(cleared.body).toMatchObject({ cookingTimeMinutes: null, ingredients: [{ name: 'basil', quantity: null }] });
    });

    it('PATCH refuses null for required fields and unknown fields', async () => {
      for (const body of [{ title: null }, { body: null }, { complexity: null }, { ingredients: null }, { likes: 1000 }]) {
        const response = await t.http.patch(`/api/v1/posts/${post.id}`, body, { token: alice.accessToken });
        expect(response.status).toBe(400);
      }
      expect((await t.http.get(`/api/v1/posts/${post.id}`)).body.title).toBe('Tomato and basil bruschetta');
    });

    it('deleting a post removes its comments and likes', async () => {
      await t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token: bob.accessToken });
      await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'Nice' }, { token: bob.accessToken });
      expect((await t.http.delete(`/api/v1/posts/${post.id}`, undefined, { token: alice.accessToken })).status).toBe(204);
      const left = await sql(t.databaseUrl, 'SELECT (SELECT count(*) FROM likes WHERE post_id = $1)::int AS l, (SELECT count(*) FROM comments WHERE post_id = $1)::int AS c', [post.id]);
      expect(left[0]).toEqual({ l: 0, c: 0 });
    });
  });

  describe('likes', () => {
    it('are idempotent both ways', async () => {
      const post = await createPost(t, alice);
      const like = () => t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token: bob.accessToken });
      const unlike = () => t.http.delete(`/api/v1/posts/${post.id}/like`, undefined, { token: bob.accessToken });
      expect((await like()).body).toEqual({ likes: 1, liked: true });
      expect((await like()).body).toEqual({ likes: 1, liked: true });
      expect((await t.http.get(`/api/v1/posts/${post.id}`)).body.likes).toBe(1);
      expect((await unlike()).body).toEqual({ likes: 0, liked: false });
      expect((await unlike()).body).toEqual({ likes: 0, liked: false });
      expect((await t.http.put(`/api/v1/posts/${post.id}/like`)).status).toBe(401);
      expect((await t.http.put('/api/v1/posts/00000000-0000-4000-8000-000000000000/like', undefined, { token: bob.accessToken })).status).toBe(404);
    });

    it('keep an exact counter when many users like and unlike at once', async () => {
      const post = await createPost(t, alice);
      const fans = await Promise.all(Array.from({ length: 12 }, () => signUp(t)));
      const requests = fans.flatMap((fan, i) => {
        const like = () => t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token: fan.accessToken });
        const unlike = () => t.http.delete(`/api/v1/posts/${post.id}/like`, undefined, { token: fan.accessToken });
        // Every fan likes twice; every third fan then takes it back.
        return i % 3 === 0 ? [like(), like(), unlike()] : [like(), like()];
      });
      const responses = await Promise.all(requests);
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const [row] = await sql<{ counter: number; actual: number }>(
        t.databaseUrl,
        'SELECT p.likes AS counter, (SELECT count(*)::int FROM likes l WHERE l.post_id = p.id) AS actual FROM posts p WHERE p.id = $1',
        [post.id],
      );
      expect(row.counter).toBe(row.actual);
      expect((await t.http.get(`/api/v1/posts/${post.id}`)).body.likes).toBe(row.actual);
    });
  });

  describe('comments', () => {
    it('are listed oldest first, deletable by their author or the post owner only', async () => {
      const post = await createPost(t, alice);
      const carol = await signUp(t);
      const first = await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'First!' }, { token: bob.accessToken });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ id: expect.any(String), body: 'First!', author: { id: bob.id, firstName: 'Bob', lastName: 'Baker' }, createdAt: expect.any(String) });
      const second = await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'Second' }, { token: carol.accessToken });
      const third = await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'Third' }, { token: bob.accessToken });

      const page1 = await t.http.get(`/api/v1/posts/${post.id}/comments?limit=2`);
      expect(page1.body.items.map((c: { body: string }) => c.body)).toEqual(['First!', 'Second']);
      const page2 = await t.http.get(`/api/v1/posts/${post.id}/comments?limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ body: 'Third' })], nextCursor: null });
      expect((await t.http.get(`/api/v1/posts/${post.id}`)).body.commentsCount).toBe(3);

      const del = (id: string, token?: string) => t.http.delete(`/api/v1/posts/${post.id}/comments/${id}`, undefined, { token });
      expect((await del(first.body.id)).status).toBe(401);
      expect((await del(first.body.id, carol.accessToken)).status).toBe(403);
      expect((await del(first.body.id, bob.accessToken)).status).toBe(204);
      expect((await del(second.body.id, alice.accessToken)).status).toBe(204);
      expect((await del(second.body.id, alice.accessToken)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/posts/00000000-0000-4000-8000-000000000000/comments/${third.body.id}`, undefined, { token: bob.accessToken })).status).toBe(404);
      expect((await t.http.get(`/api/v1/posts/${post.id}`)).body.commentsCount).toBe(1);
    });

    it('reject empty and over-long comments, and posts that do not exist', async () => {
      const post = await createPost(t, alice);
      expect((await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: '' }, { token: bob.accessToken })).status).toBe(400);
      expect((await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'c'.repeat(5001) }, { token: bob.accessToken })).status).toBe(400);
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await t.http.post(`/api/v1/posts/${missing}/comments`, { body: 'hi' }, { token: bob.accessToken })).status).toBe(404);
      expect((await t.http.get(`/api/v1/posts/${missing}/comments`)).status).toBe(404);
    });
  });

  describe('account deletion', () => {
    it('removes the account’s posts at once, and its likes and comments elsewhere, keeping counters right', async () => {
      const leaving = await signUp(t);
      const theirs = await createPost(t, leaving);
      const alicesPost = await createPost(t, alice);
      await t.http.put(`/api/v1/posts/${alicesPost.id}/like`, undefined, { token: leaving.accessToken });
      await t.http.post(`/api/v1/posts/${alicesPost.id}/comments`, { body: 'bye' }, { token: leaving.accessToken });
      expect((await t.http.get(`/api/v1/posts/${alicesPost.id}`)).body).toMatchObject({ likes: 1, commentsCount: 1 });

      expect((await t.http.delete('/api/v1/users/me', { password: PASSWORD }, { token: leaving.accessToken })).status).toBe(204);
      expect((await t.http.get(`/api/v1/posts/${theirs.id}`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/posts/${alicesPost.id}`)).body).toMatchObject({ likes: 0, commentsCount: 0 });
      expect((await t.http.get(`/api/v1/users/${leaving.id}/posts`)).status).toBe(404);
    });
  });
});
