import { randomBytes } from 'node:crypto';
import { ResponseCacheInterceptor } from '../src/cache/response-cache.interceptor';
import { signUp } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { describeWithRedis } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';

const ORIGIN = 'https://app.example';
/** Headers that differ between any two answers, whoever sends them. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'x-cache', 'keep-alive', 'connection']);

function stableHeaders(response: ApiResponse): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !PER_ANSWER.has(name)));
}

/**
 * Cache hits are answered from a Fastify hook ahead of Nest's pipeline (src/cache/cached-hit-shortcut).
 * The interceptor is observed, not replaced: a spy passes every call through, so the test can tell
 * which path answered.
 */
describe('cache hits answered ahead of the pipeline (e2e)', () => {
  let t: TestApp;
  let pipelineRuns: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
    pipelineRuns = jest.spyOn(ResponseCacheInterceptor.prototype, 'intercept');
  });
  afterAll(async () => {
    pipelineRuns.mockRestore();
    await t.close();
  });

  const throughPipeline = async (send: () => Promise<ApiResponse>): Promise<[ApiResponse, boolean]> => {
    const before = pipelineRuns.mock.calls.length;
    const response = await send();
    return [response, pipelineRuns.mock.calls.length > before];
  };

  it('answers a repeated anonymous GET with the bytes and headers the pipeline sent, without running it', async () => {
    const cook = await signUp(t);
    const post = await createPost(t, cook);
    for (const encoding of ['identity', 'gzip', 'br']) {
      const headers = { origin: ORIGIN, 'accept-encoding': encoding };
      const path = `/api/v1/posts/${post.id}`; // one entry, three encodings
      const [first, firstInPipeline] = await throughPipeline(() => t.http.get(path, { headers }));
      const [again, againInPipeline] = await throughPipeline(() => t.http.get(path, { headers }));
      expect(again.status).toBe(200);
      expect(again.headers.get('x-cache')).toBe('HIT');
      expect(againInPipeline).toBe(false);
      expect(again.text).toBe(first.text);
      expect(stableHeaders(again)).toEqual(stableHeaders(first));
      expect(again.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(again.headers.get('x-request-id')).toMatch(/\S/);
      // The first read of the first encoding missed (pipeline); after that every read is a hit.
      expect(firstInPipeline).toBe(encoding === 'identity');
    }
  });

  it('answers If-None-Match with 304 from the shortcut, and a page list with its query validated the same way', async () => {
    const cook = await signUp(t);
    await createPost(t, cook);
    const path = `/api/v1/users/${cook.id}/posts?limit=5`;
    const first = await t.http.get(path);
    const [notModified, inPipeline] = await throughPipeline(() => t.http.get(path, { headers: { 'if-none-match': first.headers.get('etag')! } }));
    expect([notModified.status, notModified.text, inPipeline]).toEqual([304, '', false]);
    // Same route, an invalid query: the pipeline answers 400 as always.
    const [invalid, invalidInPipeline] = await throughPipeline(() => t.http.get(`/api/v1/users/${cook.id}/posts?limit=0`));
    expect([invalid.status, invalidInPipeline]).toEqual([400, true]);
  });

  it('serves signed-in hits with the caller’s own flags only, and stops the moment the session ends', async () => {
    const [cook, ada, bob] = [await signUp(t), await signUp(t), await signUp(t)];
    const post = await createPost(t, cook);
    const path = `/api/v1/posts/${post.id}`;
    expect((await t.http.put(`${path}/like`, undefined, { token: ada.accessToken })).status).toBe(200);
    await t.http.get(path, { token: ada.accessToken }); // the route is now known to serve signed-in callers

    const [adaRead, adaInPipeline] = await throughPipeline(() => t.http.get(path, { token: ada.accessToken }));
    const [bobRead, bobInPipeline] = await throughPipeline(() => t.http.get(path, { token: bob.accessToken }));
    expect([adaRead.body.liked, adaRead.headers.get('cache-control'), adaInPipeline]).toEqual([true, 'private, no-cache', false]);
    expect([bobRead.body.liked, bobInPipeline]).toEqual([false, false]);
    expect(bobRead.headers.get('etag')).not.toBe(adaRead.headers.get('etag'));

    expect((await t.http.delete(`${path}/like`, undefined, { token: ada.accessToken })).status).toBe(200);
    expect((await t.http.get(path, { token: ada.accessToken })).body.liked).toBe(false);

    expect((await t.http.post('/api/v1/auth/logout', { refreshToken: ada.refreshToken })).status).toBe(204);
    // The guard refuses it (before any interceptor runs): a problem answer, not the cached page.
    const ended = await t.http.get(path, { token: ada.accessToken });
    expect([ended.status, ended.body.status, ended.body.liked]).toEqual([401, 401, undefined]);
  });

  it('leaves tokens it cannot verify, and anonymous reads of signed-in-only routes, to the guards', async () => {
    const ada = await signUp(t);
    await t.http.get('/api/v1/feed', { token: ada.accessToken });
    await t.http.get('/api/v1/feed', { token: ada.accessToken }); // cached for ada
    for (const authorization of [undefined, 'Bearer not-a-token', `Basic ${ada.accessToken}`]) {
      const response = await t.http.get('/api/v1/feed', { headers: authorization ? { authorization } : {} });
      expect([authorization, response.status, response.body.items]).toEqual([authorization, 401, undefined]);
    }
  });
});

describe('cache hits while anonymous reads are rate limited (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { READ_RATE_LIMIT: '1000' } });
  });
  afterAll(() => t.close());

  it('go through the pipeline, so every anonymous read is counted and says so', async () => {
    const cook = await signUp(t);
    const post = await createPost(t, cook);
    const remaining: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await t.http.get(`/api/v1/posts/${post.id}`);
      remaining.push(Number(response.headers.get('ratelimit-remaining')));
      expect(response.headers.get('x-cache')).toBe(i === 0 ? 'MISS' : 'HIT');
    }
    expect(remaining[1] - remaining[2]).toBe(1);
    expect(remaining[0] - remaining[1]).toBe(1);
  });
});

describeWithRedis('cache hits answered ahead of the pipeline on two instances (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let pipelineRuns: jest.SpyInstance;
  beforeAll(async () => {
    const env = { CACHE_KEY_PREFIX: `shortcut-${randomBytes(4).toString('hex')}` };
    a = await startTestApp({ env });
    b = await startTestApp({ env, databaseUrl: a.databaseUrl });
    pipelineRuns = jest.spyOn(ResponseCacheInterceptor.prototype, 'intercept');
  });
  afterAll(async () => {
    pipelineRuns.mockRestore();
    await b.close();
    await a.close();
  });

  it('serves B’s next read of what A just changed from the shortcut, new and for its caller only', async () => {
    const [cook, ada, bob] = [await signUp(a), await signUp(a), await signUp(a)];
    const post = await createPost(a, cook);
    const path = `/api/v1/posts/${post.id}`;
    for (const who of [undefined, ada, bob]) {
      await b.http.get(path, { token: who?.accessToken }); // learnt and cached on B for each kind of caller
      await b.http.get(path, { token: who?.accessToken });
    }
    expect((await a.http.put(`${path}/like`, undefined, { token: ada.accessToken })).status).toBe(200);
    expect((await a.http.patch(path, { title: 'Renamed on A' }, { token: cook.accessToken })).status).toBe(200);

    const reads: [string, unknown][] = [];
    for (const [name, who] of [['anonymous', undefined], ['ada', ada], ['bob', bob]] as const) {
      await b.http.get(path, { token: who?.accessToken }); // after the write: a miss at first
      const before = pipelineRuns.mock.calls.length;
      const read = await b.http.get(path, { token: who?.accessToken });
      const inPipeline = pipelineRuns.mock.calls.length > before;
      reads.push([name, { title: read.body.title, likes: read.body.likes, liked: read.body.liked, cache: read.headers.get('x-cache'), inPipeline }]);
    }
    expect(reads).toEqual([
      ['anonymous', { title: 'Renamed on A', likes: 1, liked: undefined, cache: 'HIT', inPipeline: false }],
      ['ada', { title: 'Renamed on A', likes: 1, liked: true, cache: 'HIT', inPipeline: false }],
      ['bob', { title: 'Renamed on A', likes: 1, liked: false, cache: 'HIT', inPipeline: false }],
    ]);
  });
});
