import { Writable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COMPRESS_THRESHOLD_BYTES } from '../src/common/http/compression';
import { follow, register, registration, signUp, type Account } from './support/accounts';
import { eventually } from './support/eventually';
import { createPost } from './support/posts';
import { rawRequest } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';

/** What a browser app and a mobile client on a slow network need: CORS, compression, request ids, JSON logs. */
describe('ready for frontends (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  const logLines: string[] = [];
  const APP = 'http://localhost:5173';
  beforeAll(async () => {
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestApp({ env: { CORS_ORIGINS: `${APP},https://app.example`, LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, logDestination });
    cook = await signUp(t);
    for (let i = 0; i < 12; i += 1) await createPost(t, cook, { title: `Dish number ${i}` });
  });
  afterAll(() => t.close());

  describe('CORS', () => {
    it('answers an allowed origin’s preflight with 204 and what the page may send and read', async () => {
      const preflight = await rawRequest(t.http.baseUrl, '/api/v1/posts', {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(APP);
      expect(String(preflight.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
      expect(String(preflight.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(['Authorization', 'Content-Type', 'If-None-Match', 'Cache-Control', 'X-Request-Id']);
      expect(preflight.headers['access-control-max-age']).toBe('600');
    });

    it('lets the page read the headers it needs on real answers', async () => {
      const answer = await rawRequest(t.http.baseUrl, '/api/v1/posts', { headers: { origin: APP } });
      expect(answer.headers['access-control-allow-origin']).toBe(APP);
      expect(String(answer.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(
        expect.arrayContaining(['ETag', 'X-Cache', 'Location', 'Retry-After', 'X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      );
    });

    it('gives other origins no CORS headers at all', async () => {
      for (const method of ['GET', 'OPTIONS']) {
        const answer = await rawRequest(t.http.baseUrl, '/api/v1/posts', {
          method,
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        });
        expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      }
    });
  });

  describe('compression', () => {
    const list = '/api/v1/posts?limit=12';

    it('sends lists compressed as the client accepts, precompressed on hits, with an ETag per encoding', async () => {
      const identity = await rawRequest(t.http.baseUrl, list);
      expect(identity.body.length).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);
      expect(identity.headers['content-encoding']).toBeUndefined();
      const etag = String(identity.headers.etag);
      for (const [accept, encoding, decode] of [
        ['gzip, deflate', 'gzip', gunzipSync],
        ['gzip, deflate, br', 'br', brotliDecompressSync],
        ['br;q=0.5, gzip', 'gzip', gunzipSync],
      ] as const) {
        const answer = await rawRequest(t.http.baseUrl, list, { headers: { 'accept-encoding': accept } });
        expect(answer.headers['x-cache']).toBe('HIT');
        expect(answer.headers['content-encoding']).toBe(encoding);
        expect(answer.headers.vary).toMatch(/Accept-Encoding/);
        expect(answer.headers.etag).toBe(`${etag.slice(0, -1)}-${encoding}"`);
        expect(answer.body.length).toBeLessThan(identity.body.length / 3);
        expect(decode(answer.body).equals(identity.body)).toBe(true);
      }
    });

    it('revalidates across encodings: any encoding’s ETag of the same content is a 304', async () => {
      const gzipped = await rawRequest(t.http.baseUrl, list, { headers: { 'accept-encoding': 'gzip' } });
      const revalidated = await rawRequest(t.http.baseUrl, list, { headers: { 'accept-encoding': 'br', 'if-none-match': String(gzipped.headers.etag) } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.etag).toMatch(/-br"$/);
    });

    it('leaves small answers alone and compresses uncached ones too', async () => {
      const small = await rawRequest(t.http.baseUrl, `/api/v1/users/${cook.id}`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(small.body.length).toBeLessThan(COMPRESS_THRESHOLD_BYTES);
      expect(small.headers['content-encoding']).toBeUndefined();
      const docs = await rawRequest(t.http.baseUrl, '/openapi.json', { headers: { 'accept-encoding': 'gzip' } });
      expect(docs.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(docs.body).toString('utf8'))).toMatchObject({ openapi: expect.any(String) });
      const redoc = await rawRequest(t.http.baseUrl, '/redoc/redoc.standalone.js', { headers: { 'accept-encoding': 'br' } });
      expect(redoc.headers['content-encoding']).toBe('br');
      expect(redoc.body.length).toBeLessThan(500_000);
    });
  });

  describe('request ids and logs', () => {
    it('generates an id, or keeps a sane one the client sent, and names it in problems', async () => {
      const generated = await t.http.get('/api/v1/posts');
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await t.http.get('/api/v1/posts/not-a-uuid', { headers: { 'x-request-id': 'trace-42.abc' } });
      expect(kept.headers.get('x-request-id')).toBe('trace-42.abc');
      expect(kept.body.requestId).toBe('trace-42.abc');
      const replaced = await t.http.get('/api/v1/nothing-here', { headers: { 'x-request-id': 'bad id with spaces' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(replaced.body.requestId).toBe(replaced.headers.get('x-request-id'));
      const badUrl = await t.http.get('/api/v1/posts/%E0%A4%A');
      expect(badUrl.body.requestId).toBe(badUrl.headers.get('x-request-id'));
    });

    it('writes one JSON line per request with its id, route, status, duration, cache outcome and caller', async () => {
      const answer = await t.http.get('/api/v1/users/me', { token: cook.accessToken, headers: { 'x-request-id': 'log-check-1' } });
      const cached = await t.http.get('/api/v1/posts?limit=3', { headers: { 'x-request-id': 'log-check-2' } });
      // The line is written when the answer has been sent, which may be just after the client has it.
      await eventually(() => Promise.resolve(logLines.join('\n')), (text) => text.includes('log-check-1') && text.includes('log-check-2'), 5000);
      const parsed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>); // every line is JSON
      const line = parsed.find((entry) => entry.requestId === 'log-check-1' && entry.msg === 'request');
      expect(line).toMatchObject({ method: 'GET', route: '/api/v1/users/me', status: answer.status, userId: cook.id, requestId: answer.headers.get('x-request-id') });
      expect(typeof line!.durationMs).toBe('number');
      expect(parsed.find((entry) => entry.requestId === 'log-check-2')).toMatchObject({ route: '/api/v1/posts', cache: cached.headers.get('x-cache') });
      expect(logLines.join('\n')).not.toContain('\u001b['); // no ANSI colour in a file
      expect(parsed.filter((entry) => entry.msg === 'request').every((entry) => typeof entry.requestId === 'string')).toBe(true);
    });
  });

  describe('links a frontend can own', () => {
    it('a confirmation link opened in a browser shows a page, not JSON', async () => {
      const { confirmLink } = await register(t);
      const json = await follow(t, confirmLink); // an API client: JSON as before
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.body).toMatchObject({ isActive: true });
      const { confirmLink: second } = await register(t);
      const html = await t.http.get(second.replace('http://app.test', ''), { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.text).toContain('Your address is confirmed');
      const again = await t.http.get(second.replace('http://app.test', ''), { headers: { accept: 'text/html' } });
      expect(again.status).toBe(400);
      expect(again.text).toContain('This link has expired');
    });

    it('CONFIRM_URL and RESET_URL put the token where a frontend wants it', async () => {
      const other = await startTestApp({ env: { CONFIRM_URL: 'https://app.example/confirm/{token}', RESET_URL: 'https://app.example/reset#token={token}' } });
      try {
        const input = registration();
        expect((await other.http.post('/api/v1/auth/register', input)).status).toBe(201);
        expect((await other.smtp.waitFor(input.email, /Confirm/)).text).toMatch(/https:\/\/app\.example\/confirm\/[A-Za-z0-9_-]{43}\s/);
        await other.http.post('/api/v1/auth/password/forgot', { email: input.email });
        expect((await other.smtp.waitFor(input.email, /Reset/)).text).toMatch(/https:\/\/app\.example\/reset#token=[A-Za-z0-9_-]{43}\s/);
      } finally {
        await other.close();
      }
    });

    it('a new comment’s Location answers', async () => {
      const post = await createPost(t, cook);
      const created = await t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'Lovely' }, { token: cook.accessToken });
      const location = created.headers.get('location')!;
      const read = await t.http.get(location);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      expect((await t.http.get(`/api/v1/posts/${post.id}/comments/${cook.id}`)).status).toBe(404);
    });
  });
});
