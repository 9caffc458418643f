import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync } from 'node:zlib';
import { shutDownGracefully } from '../src/health/graceful-shutdown';
import { type Account, signUp } from './support/accounts';
import { HttpClient } from './support/http-client';
import { describeWithNginx, startNginx } from './support/nginx';
import { createPost } from './support/posts';
import { rawRequest } from './support/raw-http';
import { freePort } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';

/** Two instances behind nginx configured by deploy/nginx.conf (addresses changed only). */
describeWithNginx('behind nginx, deploy/nginx.conf (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let lb: { url: string; stop(): Promise<void> };
  let http: HttpClient;
  let cook: Account;
  beforeAll(async () => {
    // One deployment: the same database, Redis and key prefix (so one rate-limit count).
    const env = { TRUST_PROXY: 'on', AUTH_RATE_LIMIT: '1000', CACHE_KEY_PREFIX: `lb-${randomBytes(4).toString('hex')}` };
    a = await startTestApp({ env });
    // Either instance may dispatch any mail (one outbox): startTestApp gives B the capture of A (same database).
    b = await startTestApp({ databaseUrl: a.databaseUrl, env });
    lb = await startNginx([a, b].map((t) => Number(new URL(t.http.baseUrl).port)), await freePort());
    http = new HttpClient(lb.url);
    cook = await signUp(a);
  });
  afterAll(async () => {
    await lb.stop();
    await b.close();
    await a.close();
  });

  it('passes answers through untouched: status, ETag, the API’s own compression', async () => {
    for (let i = 0; i < 3; i += 1) await createPost(a, cook); // over the 1 KB compression threshold
    const response = await rawRequest(lb.url, '/api/v1/posts?limit=20', { headers: { 'accept-encoding': 'br' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.etag).toMatch(/^"[^"]+-br"$/);
    expect(JSON.parse(brotliDecompressSync(response.body).toString('utf8')).items).toHaveLength(3);
    expect(response.headers['x-request-id']).toMatch(/.+/);
    expect((await http.get('/nginx-health')).text).toBe('ok\n');
  });

  it('lets the API see the client nginx saw, not the address a client claims', async () => {
    // TRUST_PROXY=on trusts one hop: the address nginx appended (127.0.0.1), whatever came before it.
    const answers = [];
    for (const claimed of ['203.0.113.1', '203.0.113.2']) {
      answers.push(await http.post('/api/v1/auth/confirm/resend', { email: 'nobody@example.com' }, { headers: { 'x-forwarded-for': claimed } }));
    }
    const remaining = answers.map((r) => Number(r.headers.get('ratelimit-remaining')));
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    // One bucket for both requests, whatever they claimed: the one of 127.0.0.1, where the accounts were made.
    if (process.env.REDIS_URL) expect(remaining[1]).toBe(remaining[0] - 1);
    // Per instance in memory: had the claims been believed, both would open fresh buckets (999 left).
    else expect(Math.min(...remaining)).toBeLessThan(999);
  });

  it('restarts an instance under load without a failed request: drain, refuse, nginx retries elsewhere', async () => {
    const post = await createPost(a, cook);
    const statuses: (number | string)[] = [];
    let running = true;
    const client = async (i: number) => {
      while (running) {
        const write = i % 3 === 0;
        const request = write
          ? fetch(`${lb.url}/api/v1/posts/${post.id}/save`, { method: statuses.length % 2 ? 'PUT' : 'DELETE', headers: { authorization: `Bearer ${cook.accessToken}` } })
          : fetch(`${lb.url}/api/v1/posts?limit=10`);
        statuses.push(await request.then(async (r) => (await r.arrayBuffer(), r.status), (error: Error) => `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`));
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, i) => client(i)));
    await sleep(400);
    const before = statuses.length;
    await shutDownGracefully(a.app, 'rolling restart', 300);
    await sleep(400); // b alone now
    running = false;
    await load;
    expect(before).toBeGreaterThan(10);
    expect(statuses.length).toBeGreaterThan(before + 10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect((await http.get('/api/v1/posts?limit=1')).status).toBe(200);
  });
});
