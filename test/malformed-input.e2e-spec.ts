import { registration, signUp, type Account } from './support/accounts';
import { expectProblem } from './support/problems';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/** Bad input is a clear 4xx problem+json, never a 500, never a stack trace or SQL, never a half-done write. */
describe('malformed input (e2e)', () => {
  let t: TestApp;
  let account: Account;
  beforeAll(async () => {
    t = await startTestApp();
    account = await signUp(t);
  });
  afterAll(() => t.close());

  const userCount = async () => (await sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM users'))[0].n;

  const bodies: [string, string, string][] = [
    ['null', 'application/json', 'null'],
    ['an array', 'application/json', '[{"email":"a@b.co"}]'],
    ['a number', 'application/json', '42'],
    ['a string', 'application/json', '"hello"'],
    ['broken JSON', 'application/json', '{"email": '],
    ['an empty body', 'application/json', ''],
    ['a __proto__ key', 'application/json', '{"__proto__": {"isAdmin": true}, "email": "a@b.co"}'],
    ['a constructor.prototype key', 'application/json', '{"constructor": {"prototype": {"x": 1}}}'],
    ['a U+0000 in a string', 'application/json', JSON.stringify({ ...registration(), firstName: 'Ada\u0000' })],
  ];

  it.each(bodies)('register: %s is a 400', async (_name, type, raw) => {
    const before = await userCount();
    expectProblem(await t.http.post('/api/v1/auth/register', undefined, { raw, headers: { 'content-type': type } }), 400);
    expect(await userCount()).toBe(before);
  });

  it.each(bodies)('PATCH /users/me: %s is a 400', async (_name, type, raw) => {
    const response = await t.http.patch('/api/v1/users/me', undefined, { raw, token: account.accessToken, headers: { 'content-type': type } });
    expectProblem(response, 400);
  });

  it.each([
    ['text/plain', JSON.stringify(registration())],
    ['application/x-www-form-urlencoded', 'email=a%40b.co&password=longenough'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.co\r\n--x--'],
  ])('a body sent as %s is a 415', async (type, raw) => {
    expectProblem(await t.http.post('/api/v1/auth/register', undefined, { raw, headers: { 'content-type': type } }), 415);
    expectProblem(await t.http.patch('/api/v1/users/me', undefined, { raw, token: account.accessToken, headers: { 'content-type': type } }), 415);
  });

  it('names every failing field, unknown ones included', async () => {
    const response = await t.http.post('/api/v1/auth/register', {
      email: 'not-an-email',
      password: 'short',
      firstName: null,
      lastName: 'x'.repeat(101),
      isAdmin: true,
    });
    expectProblem(response, 400);
    const fields = response.body.errors.map((e: { field: string }) => e.field);
    expect(new Set(fields)).toEqual(new Set(['email', 'password', 'firstName', 'lastName', 'isAdmin']));
    expect(response.body.errors).toContainEqual({ field: 'isAdmin', message: 'isAdmin is not an accepted field' });
  });

  it.each([
    ['email', { email: `${'a'.repeat(250)}@x.io` }],
    ['password', { password: 'p'.repeat(129) }],
    ['firstName', { firstName: 'n'.repeat(101) }],
    ['email', { email: 12345 }],
    ['password', { password: ['an', 'array'] }],
  ])('rejects a bad %s rather than truncating or coercing it', async (field, override) => {
    const response = await t.http.post('/api/v1/auth/register', { ...registration(), ...override });
    expectProblem(response, 400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('rejects an over-long bio, and unknown or wrongly typed profile fields', async () => {
    const token = account.accessToken;
    expectProblem(await t.http.patch('/api/v1/users/me', { bio: 'b'.repeat(1001) }, { token }), 400);
    expectProblem(await t.http.patch('/api/v1/users/me', { isActive: false }, { token }), 400);
    expectProblem(await t.http.patch('/api/v1/users/me', { firstName: 7 }, { token }), 400);
    expectProblem(await t.http.patch('/api/v1/users/me', { firstName: '   ' }, { token }), 400);
    expect((await t.http.get('/api/v1/users/me', { token })).body.bio).toBe('');
  });

  it.each([
    ['/api/v1/users/not-a-uuid', 400],
    ['/api/v1/users?limit=0', 400],
    ['/api/v1/users?limit=101', 400],
    ['/api/v1/users?limit=ten', 400],
    ['/api/v1/users?offset=-1', 400],
    ['/api/v1/users?cursor=forged', 400],
    ['/api/v1/users?cursor=WyJ4IiwieSJd', 400],
    ['/api/v1/users?sort=name', 400],
    ['/api/v1/nowhere', 404],
  ])('GET %s is a %d problem', async (path, status) => {
    expectProblem(await t.http.get(path), status);
  });

  it('answers an oversized body with 413', async () => {
    const response = await t.http.post('/api/v1/auth/register', { ...registration(), firstName: 'x'.repeat(300_000) });
    expectProblem(response, 413);
  });

  it.each([
    ['application/json; charset=utf-8', 201],
    ['Application/JSON; Charset="UTF-8"', 201],
    ['application/merge-patch+json', 201],
    ['application/json; charset=iso-8859-1', 415],
  ])('a body sent as %s is %s', async (type, status) => {
    const name = `typed-${type.length}-${status}-${Math.random().toString(36).slice(2, 8)}`;
    const response = await t.http.post('/api/v1/ingredients', undefined, { raw: JSON.stringify({ name }), headers: { 'content-type': type }, token: account.accessToken });
    expect(response.status).toBe(status);
    if (status !== 201) expectProblem(response, status);
  });
});
