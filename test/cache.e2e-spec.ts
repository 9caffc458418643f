import { randomBytes } from 'node:crypto';
import { generationKey } from '../src/cache/cache-keys';
import { CacheService } from '../src/cache/cache.service';
import { ResponseCacheService } from '../src/cache/response-cache.service';
import { LEASE_MS } from '../src/cache/generation-watch';
import { PASSWORD, signUp, type Account } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { recordQueries } from './support/query-recorder';
import { describeWithRedis, describeWithRedisServer, freePort, RedisServer } from './support/redis';
import { eventually } from './support/eventually';
import { startTestApp, type TestApp } from './support/test-app';

const xCache = (r: ApiResponse) => r.headers.get('x-cache');


describe('response cache (e2e)', () => {
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  let postA: { id: string };
  let postB: { id: string };
  beforeAll(async () => {
    t = await startTestApp({ env: { CACHE_BYPASS: 'on' } });
    alice = await signUp(t, { firstName: 'Alice' });
    bob = await signUp(t, { firstName: 'Bob' });
    postA = await createPost(t, alice, { title: 'Post A' });
    postB = await createPost(t, bob, { title: 'Post B' });
  });
  afterAll(() => t.close());

  /** Reads every path twice so each is cached; returns nothing, asserts the second read hits. */
  async function warm(...paths: string[]) {
    for (const path of paths) {
      await t.http.get(path);
      expect(xCache(await t.http.get(path))).toBe('HIT');
    }
  }
  const state = async (path: string) => xCache(await t.http.get(path));

  it('answers MISS then HIT with the same bytes and ETag', async () => {
    const path = `/api/v1/posts/${postA.id}?`;
    const miss = await t.http.get(`/api/v1/ingredients?q=tom`);
    const hit = await t.http.get(`/api/v1/ingredients?q=tom`);
    expect([xCache(miss), xCache(hit)]).toEqual(['MISS', 'HIT']);
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
    expect(hit.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(hit.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await t.http.get(path)).status).toBe(200);
  });

  it('shares one entry between equivalent queries (defaults, parameter order)', async () => {
    expect(await state('/api/v1/users?offset=0')).toBe('MISS');
    expect(await state('/api/v1/users?offset=0&limit=20')).toBe('HIT');
    expect(await state('/api/v1/posts?sort=new&complexity=easy&limit=5')).toBe('MISS');
    expect(await state('/api/v1/posts?limit=5&complexity=easy')).toBe('HIT');
  });

  it('answers 304 to a matching If-None-Match, on a hit and on a miss', async () => {
    const path = `/api/v1/posts/${postB.id}`;
    const first = await t.http.get(path);
    const etag = first.headers.get('etag')!;
    // fetch adds Cache-Control: no-cache to conditional requests unless told otherwise.
    const conditional = (tag: string) => ({ headers: { 'if-none-match': tag, 'cache-control': 'max-age=0' } });
    const hit = await t.http.get(path, conditional(etag));
    expect(hit.status).toBe(304);
    expect(hit.text).toBe('');
    expect(xCache(hit)).toBe('HIT');
    // Like and unlike: the entry is retired, the content comes back identical.
    await t.http.put(`${path}/like`, undefined, { token: alice.accessToken });
    await t.http.delete(`${path}/like`, undefined, { token: alice.accessToken });
    const miss = await t.http.get(path, conditional(`W/"other", ${etag}`));
    expect([miss.status, xCache(miss)]).toEqual([304, 'MISS']);
    expect((await t.http.get(path, conditional('"stale"'))).status).toBe(200);
    const bypassed = await t.http.get(path, { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } });
    expect([bypassed.status, xCache(bypassed)]).toEqual([304, 'BYPASS']);
  });

  it('skips the cache read for Cache-Control: no-cache when CACHE_BYPASS=on', async () => {
    const path = `/api/v1/posts/${postA.id}`;
    await warm(path);
    const bypass = await t.http.get(path, { headers: { 'cache-control': 'no-cache' } });
    expect(xCache(bypass)).toBe('BYPASS');
    expect(bypass.headers.get('etag')).toBeTruthy();
    expect(await state(path)).toBe('HIT');
  });

  it('never caches errors nor the caller’s own account', async () => {
    const missing = '/api/v1/posts/00000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 2; i += 1) {
      const response = await t.http.get(missing);
      expect(response.status).toBe(404);
      expect(xCache(response)).not.toBe('HIT');
    }
    expect((await t.http.get('/api/v1/posts?limit=0')).status).toBe(400);
    const me = await t.http.get('/api/v1/users/me', { token: alice.accessToken });
    expect(me.headers.get('x-cache')).toBeNull();
    expect(me.headers.get('etag')).toBeNull();
  });

  it('serves public answers alike to every caller: none of them depends on who asks', async () => {
    const path = `/api/v1/users/${alice.id}`;
    await warm(path);
    const asBob = await t.http.get(path, { token: bob.accessToken });
    expect(xCache(asBob)).toBe('HIT');
    expect(asBob.text).not.toContain(alice.email);
  });

  describe('writes retire exactly what they made stale', () => {
    const detail = (post: { id: string }) => `/api/v1/posts/${post.id}`;
    const comments = (post: { id: string }) => `/api/v1/posts/${post.id}/comments`;
    const unrelated = () => ['/api/v1/ingredients', `/api/v1/users/${bob.id}`];

    it('post update: its detail and the lists, not other posts', async () => {
      await warm(detail(postA), detail(postB), '/api/v1/posts', comments(postA), ...unrelated());
      await t.http.patch(detail(postA), { title: 'Post A, edited' }, { token: alice.accessToken });
      expect(await state(detail(postB))).toBe('HIT');
      expect(await state(comments(postA))).toBe('HIT');
      for (const path of unrelated()) expect(await state(path)).toBe('HIT');
      const fresh = await t.http.get(detail(postA));
      expect([xCache(fresh), fresh.body.title]).toEqual(['MISS', 'Post A, edited']);
      expect((await t.http.get('/api/v1/posts')).body.items.find((p: { id: string }) => p.id === postA.id).title).toBe('Post A, edited');
    });

    it('like: the post and the lists show the new count', async () => {
      await warm(detail(postA), detail(postB), '/api/v1/posts?sort=popular');
      await t.http.put(`${detail(postA)}/like`, undefined, { token: bob.accessToken });
      expect(await state(detail(postB))).toBe('HIT');
      expect((await t.http.get(detail(postA))).body.likes).toBe(1);
      expect((await t.http.get('/api/v1/posts?sort=popular')).body.items[0]).toMatchObject({ id: postA.id, likes: 1 });
    });

    it('comment: the comment list and the post’s count, not other posts’ comments', async () => {
      await warm(comments(postA), comments(postB), detail(postA));
      const created = await t.http.post(comments(postA), { body: 'Tasty' }, { token: bob.accessToken });
      expect(await state(comments(postB))).toBe('HIT');
      expect((await t.http.get(comments(postA))).body.items.map((c: { body: string }) => c.body)).toContain('Tasty');
      expect((await t.http.get(detail(postA))).body.commentsCount).toBe(1);
      await warm(comments(postA));
      await t.http.delete(`${comments(postA)}/${created.body.id}`, undefined, { token: bob.accessToken });
      expect((await t.http.get(comments(postA))).body.items).toEqual([]);
    });

    it('profile change: a bio touches the profile and user list; a new name also every post showing it', async () => {
      await warm(`/api/v1/users/${alice.id}`, '/api/v1/users', detail(postA), '/api/v1/ingredients');
      await t.http.patch('/api/v1/users/me', { bio: 'Cooks.' }, { token: alice.accessToken });
      expect((await t.http.get(`/api/v1/users/${alice.id}`)).body.bio).toBe('Cooks.');
      expect((await t.http.get('/api/v1/users')).body.items.find((u: { id: string }) => u.id === alice.id).bio).toBe('Cooks.');
      expect(await state(detail(postA))).toBe('HIT');
      await t.http.patch('/api/v1/users/me', { firstName: 'Alicia' }, { token: alice.accessToken });
      expect((await t.http.get(detail(postA))).body.author.firstName).toBe('Alicia');
      expect(await state('/api/v1/ingredients')).toBe('HIT');
    });

    it('new post: lists, the author’s profile count and the ingredients, not other details', async () => {
      await warm('/api/v1/posts', `/api/v1/users/${bob.id}`, `/api/v1/users/${bob.id}/posts`, '/api/v1/ingredients', detail(postA));
      const created = await createPost(t, bob, { title: 'Brand new', ingredients: [{ name: 'fresh herb' }] });
      expect(await state(detail(postA))).toBe('HIT');
      expect((await t.http.get('/api/v1/posts')).body.items[0].id).toBe(created.id);
      expect((await t.http.get(`/api/v1/users/${bob.id}/posts`)).body.items[0].id).toBe(created.id);
      expect((await t.http.get(`/api/v1/users/${bob.id}`)).body.postsCount).toBe(2);
      expect((await t.http.get('/api/v1/ingredients?limit=100')).body.items.map((i: { name: string }) => i.name)).toContain('fresh herb');
      await warm(detail(created));
      await t.http.delete(detail(created), undefined, { token: bob.accessToken });
      expect((await t.http.get(detail(created))).status).toBe(404);
    });

    it('new ingredient: the ingredient lists only', async () => {
      await warm('/api/v1/ingredients?q=za', '/api/v1/posts');
      expect((await t.http.get('/api/v1/ingredients?q=za')).body.items).toEqual([]);
      await t.http.post('/api/v1/ingredients', { name: "Za'atar" }, { token: alice.accessToken });
      expect(await state('/api/v1/posts')).toBe('HIT');
      const fresh = await t.http.get('/api/v1/ingredients?q=za');
      expect(fresh.headers.get('x-cache')).toBe('MISS');
      expect(fresh.body.items.map((i: { name: string }) => i.name)).toEqual(["Za'atar"]);
      expect(await state('/api/v1/ingredients?q=za')).toBe('HIT');
    });

    it('account deletion: their posts, counts and names disappear everywhere at once', async () => {
      const leaving = await signUp(t, { firstName: 'Leaving' });
      const theirs = await createPost(t, leaving, { title: 'Soon gone' });
      await t.http.put(`${detail(postB)}/like`, undefined, { token: leaving.accessToken });
      await warm(detail(theirs), detail(postB), '/api/v1/posts', '/api/v1/users', `/api/v1/users/${leaving.id}`);
      await t.http.delete('/api/v1/users/me', { password: PASSWORD }, { token: leaving.accessToken });
      expect((await t.http.get(detail(theirs))).status).toBe(404);
      expect((await t.http.get(`/api/v1/users/${leaving.id}`)).status).toBe(404);
      expect((await t.http.get(detail(postB))).body.likes).toBe(0);
      expect((await t.http.get('/api/v1/posts')).body.items.map((p: { id: string }) => p.id)).not.toContain(theirs.id);
      expect((await t.http.get('/api/v1/users')).body.items.map((u: { id: string }) => u.id)).not.toContain(leaving.id);
    });
  });

  it('runs one database query for many concurrent misses on one key', async () => {
    const path = `/api/v1/posts?complexity=hard&limit=7&q=${randomBytes(3).toString('hex')}`;
    const { result, queries } = await recordQueries(t.app, () => Promise.all(Array.from({ length: 20 }, () => t.http.get(path))));
    expect(result.every((r) => r.status === 200)).toBe(true);
    expect(queries.filter((q) => q.sql.includes('FROM posts p'))).toHaveLength(1);
    expect(new Set(result.map((r) => r.text)).size).toBe(1);
  });

  it('counts hits, misses and bypasses per route in /metrics', async () => {
    const path = `/api/v1/posts/${postB.id}`;
    await warm(path);
    await t.http.get(path, { headers: { 'cache-control': 'no-cache' } });
    const metrics = await t.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/chopchop_response_cache_total\{route="PostsController.get",result="hit"\} [1-9]\d*/);
    expect(metrics.text).toMatch(/chopchop_response_cache_total\{route="PostsController.get",result="miss"\} [1-9]\d*/);
    expect(metrics.text).toMatch(/chopchop_response_cache_total\{route="PostsController.get",result="bypass"\} [1-9]\d*/);
  });
});

describe('response cache with CACHE_BYPASS=off (e2e)', () => {
  it('ignores Cache-Control: no-cache', async () => {
    const t = await startTestApp({ env: { CACHE_BYPASS: 'off' } });
    try {
      await t.http.get('/api/v1/users');
      const response = await t.http.get('/api/v1/users', { headers: { 'cache-control': 'no-cache' } });
      expect(xCache(response)).toBe('HIT');
    } finally {
      await t.close();
    }
  });
});

describeWithRedis('response cache across instances sharing Redis (e2e)', () => {
  it('a write answered by A is never read back stale from B', async () => {
    const shared = { CACHE_KEY_PREFIX: `pair-${randomBytes(4).toString('hex')}` };
    const a = await startTestApp({ env: shared });
    const b = await startTestApp({ env: shared, databaseUrl: a.databaseUrl });
    try {
      const cook = await signUp(a);
      const post = await createPost(a, cook, { title: 'Version 1' });
      const path = `/api/v1/posts/${post.id}`;
      await a.http.get(path);
      const fromB = await b.http.get(path);
      expect([xCache(fromB), fromB.body.title]).toEqual(['HIT', 'Version 1']);
      for (let version = 2; version <= 6; version += 1) {
        await a.http.patch(path, { title: `Version ${version}` }, { token: cook.accessToken });
        expect((await b.http.get(path)).body.title).toBe(`Version ${version}`);
        expect((await b.http.get('/api/v1/posts')).body.items[0].title).toBe(`Version ${version}`);
        expect((await a.http.get(path)).body.title).toBe(`Version ${version}`);
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describeWithRedisServer('response cache while Redis goes away (e2e)', () => {
  it('answers from the database while Redis is down, and resumes caching without serving stale data', async () => {
    const redis = new RedisServer(await freePort());
    await redis.start();
    const t = await startTestApp({ env: { REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '100' } });
    try {
      const cook = await signUp(t);
      const post = await createPost(t, cook, { title: 'Before the outage' });
      const path = `/api/v1/posts/${post.id}`;
      await t.http.get(path);
      expect(xCache(await t.http.get(path))).toBe('HIT');

      await redis.stop();
      const during = await t.http.get(path);
      expect([during.status, xCache(during)]).toEqual([200, 'MISS']);
      // A write while Redis is away cannot bump its tags…
      expect((await t.http.patch(path, { title: 'Written during the outage' }, { token: cook.accessToken })).status).toBe(200);
      expect((await t.http.get(path)).body.title).toBe('Written during the outage');
      expect((await t.http.get('/health')).body.status).toBe('degraded');

      await redis.start();
      await eventually(() => t.http.get('/health'), (r) => r.body.status === 'ok');
      // …so on recovery every older entry is retired: the pre-outage entry is never served.
      const after = await t.http.get(path);
      expect(after.body.title).toBe('Written during the outage');
      const resumed = await eventually(() => t.http.get(path), (r) => xCache(r) === 'HIT');
      expect(xCache(resumed)).toBe('HIT');
    } finally {
      await t.close();
      await redis.stop();
    }
  });

  it('does not wait for a Redis that hangs: the answer comes from the database first', async () => {
    const redis = new RedisServer(await freePort());
    await redis.start();
    const t = await startTestApp({ env: { REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '100' } });
    try {
      const cook = await signUp(t);
      const post = await createPost(t, cook);
      await eventually(() => t.http.get(`/api/v1/posts/${post.id}`), (r) => xCache(r) === 'HIT');
      // Redis stops answering for 3 s; the request must finish well before Redis wakes up. It is made
      // once the lease on the generations has run out (no ping came back), so the hit needs Redis.
      const { awake } = await redis.sleep(3);
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
      const winner = await Promise.race([
        t.http.get(`/api/v1/posts/${post.id}`).then((r) => ({ who: 'api', status: r.status, cache: xCache(r) })),
        awake.then(() => ({ who: 'redis', status: 0, cache: null })),
      ]);
      expect(winner).toEqual({ who: 'api', status: 200, cache: 'MISS' });
      await awake;
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});

/** Without Redis, processes tell each other of invalidations through PostgreSQL (InvalidationRelay). */
describe('the invalidation relay without Redis (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ env: { REDIS_URL: undefined } });
    b = await startTestApp({ databaseUrl: a.databaseUrl, env: { REDIS_URL: undefined } });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const generation = async (t: TestApp, tag: string) => (await t.app.get(CacheService).getStrings([generationKey(tag)]))[0];

  it('bumps a local write’s generations once: its own notification is not applied again', async () => {
    const tag = `relay-${randomBytes(4).toString('hex')}`;
    await a.app.get(ResponseCacheService).invalidate(tag);
    const bumped = await generation(a, tag);
    expect(bumped).toBeDefined();
    // Long enough for b to receive the same notification (so it has surely reached a too).
    await eventually(() => generation(b, tag), (value) => value !== undefined, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await generation(a, tag)).toBe(bumped);
  });

  it('applies another process’s invalidation', async () => {
    const tag = `relay-${randomBytes(4).toString('hex')}`;
    expect(await generation(a, tag)).toBeUndefined();
    await b.app.get(ResponseCacheService).invalidate(tag);
    expect(await eventually(() => generation(a, tag), (value) => value !== undefined, 5_000)).toBeDefined();
  });
});
