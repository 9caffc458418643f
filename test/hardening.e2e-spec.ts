import { hash } from 'bcrypt';
import { connect } from 'node:net';
import { AccountMailsService } from '../src/auth/account-mails/account-mails.service';
import { PASSWORD, registration, signUp, type Account } from './support/accounts';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problems';
import { createPost, postInput } from './support/posts';
import { recordQueries } from './support/query-recorder';
import { rawRequest, upload } from './support/raw-http';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/** One test (or more) per defect class of the hardening issue that is not a race: see concurrency.e2e-spec for those. */
describe('hardening (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  beforeAll(async () => {
    t = await startTestApp();
    cook = await signUp(t);
  });
  afterAll(() => t.close());

  describe('passwords are compared in full', () => {
    it.each([
      ['ASCII', 'a'.repeat(72)],
      ['two-byte letters', 'é'.repeat(40)],
    ])('two passwords sharing their first 72 bytes (%s) are different passwords', async (_case, prefix) => {
      const account = await signUp(t, { password: `${prefix}-right` });
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: `${prefix}-wrong` })).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: `${prefix}-right` })).status).toBe(200);
    });

    it('a hash stored before the pre-hash still logs in, and is replaced by a pre-hashed one', async () => {
      const account = await signUp(t);
      await sql(t.databaseUrl, 'UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, await hash('legacy-password', 4)]);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'legacy-passwordX' })).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'legacy-password' })).status).toBe(200);
      const [row] = await sql<{ password_hash: string }>(t.databaseUrl, 'SELECT password_hash FROM users WHERE id = $1', [account.id]);
      expect(row.password_hash).toMatch(/^\$chop-h0\$\$2b\$04\$/);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'legacy-password' })).status).toBe(200);
    });
  });

  describe('unknown fields named like Object.prototype members', () => {
    it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('a body field %s is a 400 naming it', async (field) => {
      const response = await t.http.post('/api/v1/posts', { ...postInput(), [field]: 1 }, { token: cook.accessToken });
      expectProblem(response, 400);
      expect(response.body.errors).toContainEqual({ field, message: `${field} is not an accepted field` });
    });

    it('nested: an ingredient line with a toString field', async () => {
      const response = await t.http.post('/api/v1/posts', postInput({ ingredients: [{ name: 'salt', toString: 'x' }] }), { token: cook.accessToken });
      expectProblem(response, 400);
      expect(response.body.errors).toContainEqual({ field: 'ingredients.0.toString', message: 'ingredients.0.toString is not an accepted field' });
    });

    it.each(['constructor', 'toString', '__proto__', 'valueOf'])('a query parameter %s is a 400 naming it', async (parameter) => {
      for (const path of ['/api/v1/posts', '/api/v1/users', '/api/v1/ingredients']) {
        const response = await t.http.get(`${path}?${parameter}=1`);
        expectProblem(response, 400);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([parameter]);
      }
    });

    it('nested arrays where ingredient lines belong are a 400, at any depth', async () => {
      for (const depth of [1, 2, 50, 1000]) {
        const raw = `{"title":"x","body":"y","complexity":"easy","ingredients":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const response = await t.http.post('/api/v1/posts', undefined, { raw, headers: { 'content-type': 'application/json' }, token: cook.accessToken });
        expect(depth === 1 ? response.status : [depth, response.status]).toEqual(depth === 1 ? 201 : [depth, 400]);
      }
    });

    it('PATCH bodies too', async () => {
      const response = await t.http.patch('/api/v1/users/me', { bio: 'x', constructor: 'y' }, { token: cook.accessToken });
      expectProblem(response, 400);
      expect(response.body.errors[0].field).toBe('constructor');
    });
  });

  it('a filter naming one ingredient twice (by id and by name, or in two cases) counts it once', async () => {
    const post = await createPost(t, cook, { title: 'Saffron rice', ingredients: [{ name: 'Saffron' }, { name: 'rice' }] });
    const saffron = post.ingredients[0].id;
    const ids = async (query: string) => (await t.http.get(`/api/v1/posts?${query}`)).body.items.map((p: { id: string }) => p.id);
    expect(await ids(`ingredient=saffron&ingredient=${saffron}`)).toEqual([post.id]);
    expect(await ids('ingredient=SAFFRON&ingredient=saffron')).toEqual([post.id]);
    expect(await ids(`ingredient=saffron&ingredient=${saffron}&ingredient=rice`)).toEqual([post.id]);
    expect(await ids('ingredient=saffron&ingredient=no-such-thing')).toEqual([]);
  });

  describe('transport-level answers', () => {
    it('a body over the limit gets a 413 problem after it has been read, not a dropped connection', async () => {
      for (const chunked of [false, true]) {
        const answer = await upload(t.http.baseUrl, '/api/v1/auth/register', { totalBytes: 12 * 1024 * 1024, contentType: 'application/json', chunked });
        expect(answer.sendError).toBeUndefined();
        expect(answer.status).toBe(413);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(answer.text)).toMatchObject({ status: 413, detail: expect.stringMatching(/larger than/) });
      }
    });

    it('a large body of the wrong media type gets its 415 too', async () => {
      const answer = await upload(t.http.baseUrl, '/api/v1/auth/register', { totalBytes: 2 * 1024 * 1024, contentType: 'text/plain' });
      expect(answer.sendError).toBeUndefined();
      expect(answer.status).toBe(415);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('a wrong method on an existing path is a 405 with Allow', async () => {
      const post = await createPost(t, cook);
      const users = await t.http.patch('/api/v1/users', { a: 1 });
      expectProblem(users, 405);
      expect(users.headers.get('allow')).toBe('GET, HEAD');
      const detail = await t.http.post(`/api/v1/posts/${post.id}`, {});
      expectProblem(detail, 405);
      expect(detail.headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE');
      expectProblem(await t.http.get('/api/v1/no-such-thing'), 404);
    });

    it('what Node’s HTTP parser refuses (oversized URL, malformed HTTP) is problem+json too', async () => {
      const long = await rawRequest(t.http.baseUrl, `/api/v1/posts?q=${'a'.repeat(20_000)}`);
      expect(long.status).toBe(431);
      expect(long.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(long.body.toString('utf8'))).toMatchObject({ status: 431, requestId: long.headers['x-request-id'] });
      const garbage = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(t.http.baseUrl).port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(garbage).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(garbage.split('\r\n\r\n')[1])).toMatchObject({ status: 400, detail: 'The request is not valid HTTP.' });
    });

    it('an over-long path parameter is a 404 and a malformed URL a 400, both problem+json', async () => {
      expectProblem(await t.http.get(`/api/v1/posts/${'a'.repeat(500)}`), 404);
      expectProblem(await t.http.get(`/api/v1/users/${'%41'.repeat(300)}`), 404);
      expectProblem(await t.http.get('/api/v1/posts/%E0%A4%A'), 400);
    });
  });

  describe('e-mailed tokens and the timing of forgot/resend', () => {
    it('forgot and resend do the same database work for known, unconfirmed and unknown addresses', async () => {
      const unconfirmed = registration();
      await t.http.post('/api/v1/auth/register', unconfirmed);
      await t.smtp.waitFor(unconfirmed.email, /Confirm/);
      // The background handler is paused so only the requests' own queries are recorded.
      const handler = t.app.get(AccountMailsService);
      await handler.onApplicationShutdown();
      const sqlOf = async (path: string, email: string) => {
        const { result, queries } = await recordQueries(t.app, () => t.http.post(path, { email }));
        expect(result.status).toBe(202);
        return queries.map((q) => q.sql);
      };
      for (const path of ['/api/v1/auth/password/forgot', '/api/v1/auth/confirm/resend']) {
        const known = await sqlOf(path, cook.email);
        expect(known).toEqual(['INSERT INTO account_mail_requests (purpose, email) VALUES ($1, $2)']);
        expect(await sqlOf(path, 'nobody.at.all@example.com')).toEqual(known);
        expect(await sqlOf(path, unconfirmed.email)).toEqual(known);
      }
      handler.onApplicationBootstrap();
      await t.smtp.waitFor(cook.email, /Reset/);
      await t.smtp.waitFor(unconfirmed.email, /Reset/);
      await t.smtp.waitFor(unconfirmed.email, /Confirm/);
      const left = await eventually(() => sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM account_mail_requests'), (rows) => rows[0].n === 0);
      expect(left[0].n).toBe(0);
      // Confirmed accounts get no confirmation mail; unknown addresses get nothing at all.
      expect(t.smtp.mails.filter((m) => m.to === cook.email || m.to === 'nobody.at.all@example.com')).toEqual([]);
    });

    it('a request recorded by a process that died before handling it is mailed by the next one', async () => {
      await sql(t.databaseUrl, `INSERT INTO account_mail_requests (purpose, email) VALUES ('password_reset', $1)`, [cook.email.toUpperCase()]);
      const mail = await t.smtp.waitFor(cook.email, /Reset/);
      expect(mail.text).toMatch(/reset-password\?token=/);
    });
  });
});

describe('TRUST_PROXY (e2e)', () => {
  const login = (t: TestApp, forwardedFor: string) =>
    t.http.post('/api/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }, { headers: { 'x-forwarded-for': forwardedFor } });

  it.each([['on'], ['1'], ['127.0.0.1/8,::1']])('%s: the bucket is the address the proxy appended, whatever the client put in front', async (trust) => {
    const t = await startTestApp({ env: { TRUST_PROXY: trust, AUTH_RATE_LIMIT: '2' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await login(t, `10.9.8.${i}, 203.0.113.7`)).status);
      expect(statuses).toEqual([401, 401, 429]);
      expect((await login(t, '10.9.8.1, 203.0.113.8')).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('off: X-Forwarded-For is ignored', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: 'off', AUTH_RATE_LIMIT: '2' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await login(t, `203.0.113.${i}`)).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await t.close();
    }
  });
});
