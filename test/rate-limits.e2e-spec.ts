import { randomBytes } from 'node:crypto';
import { type Account, signUp } from './support/accounts';
import { eventually } from './support/eventually';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { expectProblem } from './support/problems';
import { describeWithRedis, describeWithRedisServer, freePort, RedisServer } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';

let clients = 0;
/** A client address of its own per test (TRUST_PROXY=on: the proxy-appended X-Forwarded-For). */
const newClient = () => `198.51.100.${(clients += 1)}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

function limitHeaders(response: ApiResponse) {
  return { status: response.status, limit: response.headers.get('ratelimit-limit'), remaining: response.headers.get('ratelimit-remaining') };
}

/** Two instances sharing PostgreSQL and Redis, with small limits; accounts come from a third, unlimited one. */
describeWithRedis('rate limits shared by every instance (e2e)', () => {
  let setup: TestApp;
  let a: TestApp;
  let b: TestApp;
  let cook: Account;
  let other: Account;
  beforeAll(async () => {
    setup = await startTestApp();
    const env = { TRUST_PROXY: 'on', AUTH_RATE_LIMIT: '4', WRITE_RATE_LIMIT: '3', READ_RATE_LIMIT: '3', CACHE_KEY_PREFIX: `limits-${randomBytes(4).toString('hex')}` };
    a = await startTestApp({ databaseUrl: setup.databaseUrl, env });
    b = await startTestApp({ databaseUrl: setup.databaseUrl, env });
    [cook, other] = [await signUp(setup), await signUp(setup)];
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await setup.close();
  });

  const resend = (t: TestApp, ip: string) => t.http.post('/api/v1/auth/confirm/resend', { email: 'nobody@example.com' }, { headers: from(ip) });

  it('counts /auth requests per client once across instances: AUTH_RATE_LIMIT in all, then 429 on both', async () => {
    const ip = newClient();
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await resend(i % 2 === 0 ? a : b, ip));
    expect(answers.map(limitHeaders)).toEqual([
      { status: 202, limit: '4', remaining: '3' },
      { status: 202, limit: '4', remaining: '2' },
      { status: 202, limit: '4', remaining: '1' },
      { status: 202, limit: '4', remaining: '0' },
      { status: 429, limit: '4', remaining: '0' },
      { status: 429, limit: '4', remaining: '0' },
    ]);
    const refused = answers[4];
    expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(refused.headers.get('ratelimit-reset'));
    // Another client is counted apart.
    expect((await resend(b, newClient())).status).toBe(202);
  });

  it('lets exactly AUTH_RATE_LIMIT through when a burst arrives at both instances at once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const ip = newClient();
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => resend(i % 2 === 0 ? a : b, ip)));
      expect(answers.filter((r) => r.status === 202)).toHaveLength(4);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(8);
    }
  });

  it('counts writes per account, whichever instance and address they come from', async () => {
    const post = await createPost(setup, other);
    const save = (t: TestApp, account: Account) => t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: account.accessToken, headers: from(newClient()) });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await save(i % 2 === 0 ? a : b, cook)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await save(b, other)).status).toBe(200); // another account is counted apart
    // Reads by the limited account still pass: only its writes are limited.
    expect((await a.http.get('/api/v1/users/me/saved', { token: cook.accessToken })).status).toBe(200);
  });

  it('counts anonymous reads per client, cached ones too; signed-in reads and probes are not counted', async () => {
    const ip = newClient();
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await (i % 2 === 0 ? a : b).http.get('/api/v1/posts?limit=5', { headers: from(ip) })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const signedIn = await a.http.get('/api/v1/posts?limit=5', { headers: from(ip), token: cook.accessToken });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('ratelimit-limit')).toBeNull();
    expect((await a.http.get('/health', { headers: from(ip) })).status).toBe(200);
    expect((await a.http.get('/openapi.json', { headers: from(ip) })).status).toBe(200);
  });

  it('documents the limits: headers and a 429 on limited operations, none on the others', async () => {
    const doc = (await setup.http.get('/openapi.json')).body;
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.responses['429'].headers['Retry-After']).toBeDefined();
    expect(login.responses['429'].description).toMatch(/AUTH_RATE_LIMIT/);
    expect(Object.keys(login.responses['200'].headers)).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
    expect(doc.paths['/api/v1/posts'].post.responses['429'].description).toMatch(/WRITE_RATE_LIMIT/);
    expect(doc.paths['/api/v1/posts'].get.responses['429'].description).toMatch(/READ_RATE_LIMIT/);
    expect(doc.paths['/api/v1/feed'].get.responses['429']).toBeUndefined(); // signed-in reads
    expect(doc.paths['/health'].get.responses['429']).toBeUndefined();
  });
});

describeWithRedisServer('rate limits while Redis is down (e2e)', () => {
  it('falls back to counting in memory: requests are answered and limited per instance, then Redis counts again', async () => {
    const redis = new RedisServer(await freePort());
    await redis.start();
    const t = await startTestApp({ env: { REDIS_URL: redis.url, AUTH_RATE_LIMIT: '3' } });
    const resend = () => t.http.post('/api/v1/auth/confirm/resend', { email: 'nobody@example.com' });
    try {
      expect(limitHeaders(await resend())).toEqual({ status: 202, limit: '3', remaining: '2' });
      await redis.stop();
      const during = [];
      for (let i = 0; i < 4; i += 1) during.push(limitHeaders(await resend()));
      // Counted afresh in this instance's memory: never a 5xx, still limited.
      expect(during.map((r) => r.status)).toEqual([202, 202, 202, 429]);
      await redis.start();
      // Back on (the restarted, empty) Redis: the memory count no longer applies.
      const back = await eventually(async () => limitHeaders(await resend()), (r) => r.status === 202);
      expect(back).toEqual({ status: 202, limit: '3', remaining: '2' });
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});
