import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { shutDownGracefully } from '../src/health/graceful-shutdown';
import { type Account, signUp } from './support/accounts';
import { postInput } from './support/posts';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/** A POST whose body arrives in two halves, `pauseMs` apart: a request in flight across a shutdown. */
function slowPost(t: TestApp, path: string, token: string, body: string, pauseMs: number): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, t.http.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    setTimeout(() => req.end(body.slice(half)), pauseMs);
  });
}

describe('probes and a graceful shutdown (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  beforeAll(async () => {
    t = await startTestApp({ env: { SHUTDOWN_GRACE_MS: '5000' } });
    cook = await signUp(t);
  });
  afterAll(() => t.close());

  it('reports live and ready, uncacheable', async () => {
    const [live, ready] = [await t.http.get('/health/live'), await t.http.get('/health/ready')];
    expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready' }]);
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });

  it('is not ready while a migration is pending, and ready again once it is applied', async () => {
    const [last] = await sql<{ id: number; timestamp: string; name: string }>(t.databaseUrl, 'SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await sql(t.databaseUrl, 'DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      // A fresh instance (this one already saw every migration applied, and remembers it).
      const other = await startTestApp({ databaseUrl: t.databaseUrl });
      try {
        const pending = await other.http.get('/health/ready');
        expect([pending.status, pending.body]).toEqual([503, { status: 'unavailable', reason: 'database migrations are pending' }]);
        expect(pending.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await other.http.get('/health/live')).status).toBe(200);
      } finally {
        await other.close();
      }
    } finally {
      await sql(t.databaseUrl, 'INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last.id, last.timestamp, last.name]);
    }
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });

  it('on shutdown: ready turns 503 while requests are still served, the request in flight finishes, then connections are refused', async () => {
    const inFlight = slowPost(t, '/api/v1/posts', cook.accessToken, JSON.stringify(postInput({ title: 'Sent across a shutdown' })), 900);
    await sleep(100);
    const stopped = shutDownGracefully(t.app, 'test', 600);
    const draining = await t.http.get('/health/ready');
    expect([draining.status, draining.body]).toEqual([503, { status: 'draining', reason: 'shutting down' }]);
    expect(draining.headers.get('connection')).toBe('close');
    expect((await t.http.get('/health/live')).status).toBe(200);
    expect((await t.http.get('/api/v1/posts?limit=1')).status).toBe(200); // still served during the delay
    await sleep(700); // past the delay: the listener is closed, the slow request not yet answered
    await expect(fetch(`${t.http.baseUrl}/health/live`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ title: 'Sent across a shutdown' });
    await stopped;
    const [saved] = await sql<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM posts WHERE title = 'Sent across a shutdown'`);
    expect(saved.n).toBe(1);
  });
});
