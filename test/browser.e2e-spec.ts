import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { describeWithBrowser, launchBrowser } from './support/browser';
import { linkIn } from './support/smtp-capture';
import { startTestApp, type TestApp } from './support/test-app';

/** A single-page app's calls, as a page on another origin makes them (every one a CORS request). */
const APP_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Chop-chop test app</title></head><body>
<script>
  const api = new URLSearchParams(location.search).get('api');
  async function call(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    const response = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : null,
      requestId: response.headers.get('X-Request-Id'),
      etag: response.headers.get('ETag'),
      location: response.headers.get('Location'),
    };
  }
  window.chop = {
    register: (email) => call('POST', '/api/v1/auth/register', { email, password: 'a-good-password', firstName: 'Browser', lastName: 'User' }),
    confirm: (token) => call('GET', '/api/v1/auth/confirm?token=' + encodeURIComponent(token)),
    login: (email) => call('POST', '/api/v1/auth/login', { email, password: 'a-good-password' }),
    createRecipe: (token) => call('POST', '/api/v1/posts', { title: 'Browser bread', body: 'Knead, rest, bake.', complexity: 'medium', ingredients: [{ name: 'flour', quantity: '500 g' }] }, token),
    list: () => call('GET', '/api/v1/posts?ingredient=flour&complexity=medium'),
  };
</script></body></html>`;

/** Listens on `port` when it is free, else on any port: the origin is read back either way. */
async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? server.listen(0, '127.0.0.1', resolve) : reject(error)));
    server.listen(port, '127.0.0.1', resolve);
  });
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

describeWithBrowser('in a browser (e2e)', () => {
  let browser: Browser;
  let pageServer: Server;
  let appOrigin: string;
  let t: TestApp;
  beforeAll(async () => {
    pageServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_PAGE));
    appOrigin = await listen(pageServer, 5173);
    t = await startTestApp({ env: { CORS_ORIGINS: appOrigin } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => pageServer.close(resolve));
  });

  it('a page on another origin registers, confirms, logs in, creates a recipe and lists it', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    await page.goto(`${appOrigin}/?api=${encodeURIComponent(t.http.baseUrl)}`);
    const email = `browser.${Date.now()}@example.com`;
    type Answer = { status: number; body: any; requestId: string | null; etag: string | null; location: string | null };
    const run = (step: string, ...args: string[]) => page.evaluate(([name, ...rest]) => (globalThis as any).chop[name](...rest) as Promise<Answer>, [step, ...args]);

    expect((await run('register', email)).status).toBe(201);
    const link = linkIn(await t.smtp.waitFor(email, /Confirm/), 'http://app.test/api/v1/auth/confirm?token=');
    expect((await run('confirm', new URL(link).searchParams.get('token')!)).status).toBe(200);
    const login = await run('login', email);
    expect(login.status).toBe(200);
    const created = await run('createRecipe', login.body.accessToken);
    expect(created.status).toBe(201);
    expect(created.location).toBe(`/api/v1/posts/${created.body.id}`); // exposed to the page
    const list = await run('list');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    expect(list.etag).toMatch(/^"/);
    expect(list.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failures).toEqual([]);
    await page.close();
  });

  it.each(['/docs', '/redoc'])('%s renders without a single request leaving this machine', async (path) => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    await page.goto(`${t.http.baseUrl}${path}`, { waitUntil: 'networkidle' });
    await page.waitForSelector(path === '/docs' ? '.swagger-ui .opblock' : '[data-section-id]', { timeout: 20_000 });
    const outside = requested.filter((url) => !/^(data:|blob:|about:|https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/)/.test(url));
    expect(outside).toEqual([]);
    expect(requested.length).toBeGreaterThan(1);
    expect(errors).toEqual([]); // a CSP violation would show here
    await page.close();
  });
});
