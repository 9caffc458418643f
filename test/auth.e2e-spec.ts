import { follow, PASSWORD, register, registration, signUp, uniqueEmail } from './support/accounts';
import { linkIn } from './support/smtp-capture';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http.get('/api/v1/users/me', { token });

  describe('registration and confirmation', () => {
    it('registers an inactive account, e-mails a confirmation link that activates it once', async () => {
      const input = registration();
      const created = await t.http.post('/api/v1/auth/register', input);
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/v1/users/${created.body.id}`);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: input.email,
        firstName: 'Ada',
        lastName: 'Lovelace',
        bio: '',
        isActive: false,
        postsCount: 0,
        followersCount: 0,
        followingCount: 0,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      });
      expect(created.text).not.toMatch(/password/i);

      const mail = await t.smtp.waitFor(input.email, /Confirm your Chop-chop account/);
      expect(mail.html).toContain('<a href="http://app.test/api/v1/auth/confirm?token=');
      const link = linkIn(mail, 'http://app.test/api/v1/auth/confirm?token=');

      const unconfirmedLogin = await t.http.post('/api/v1/auth/login', { email: input.email, password: PASSWORD });
      expect(unconfirmedLogin.status).toBe(403);
      expect(unconfirmedLogin.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const confirmed = await follow(t, link);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ id: created.body.id, isActive: true });

      const again = await follow(t, link);
      expect(again.status).toBe(400);
      expect(again.body.detail).toMatch(/invalid, expired or already used/);

      const login = await t.http.post('/api/v1/auth/login', { email: input.email.toUpperCase(), password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    });

    it('stores tokens and passwords only as hashes', async () => {
      const { id, confirmLink } = await register(t);
      const token = new URL(confirmLink).searchParams.get('token')!;
      const [user] = await sql(t.databaseUrl, 'SELECT password_hash FROM users WHERE id = $1', [id]);
      expect(user.password_hash).toMatch(/^\$chop-h0\$\$2b\$04\$/);
      const tokens = await sql(t.databaseUrl, 'SELECT token_hash FROM user_tokens WHERE user_id = $1', [id]);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].token_hash).not.toBe(token);
      expect(tokens[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('answers 409 for an e-mail already taken in another letter case', async () => {
      const email = uniqueEmail('case');
      expect((await t.http.post('/api/v1/auth/register', registration({ email }))).status).toBe(201);
      const duplicate = await t.http.post('/api/v1/auth/register', registration({ email: email.toUpperCase() }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ type: 'about:blank', title: 'Conflict', status: 409, instance: '/api/v1/auth/register' });
      const rows = await sql(t.databaseUrl, 'SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)', [email]);
      expect(rows[0].n).toBe(1);
    });

    it('rejects forged, missing and expired confirmation tokens with 400', async () => {
      expect((await t.http.get('/api/v1/auth/confirm?token=forged-token-value')).status).toBe(400);
      const missing = await t.http.get('/api/v1/auth/confirm');
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'token' })]));

      const { id, confirmLink } = await register(t);
      await sql(t.databaseUrl, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [id]);
      expect((await follow(t, confirmLink)).status).toBe(400);
      const [user] = await sql(t.databaseUrl, 'SELECT is_active FROM users WHERE id = $1', [id]);
      expect(user.is_active).toBe(false);
    });

    it('resends a working confirmation link, answering the same whether or not the account exists', async () => {
      const { email } = await register(t);
      const known = await t.http.post('/api/v1/auth/confirm/resend', { email });
      const unknown = await t.http.post('/api/v1/auth/confirm/resend', { email: uniqueEmail('nobody') });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(known.body).toEqual(unknown.body);
      const mail = await t.smtp.waitFor(email, /Confirm/);
      expect((await follow(t, linkIn(mail, 'http://app.test/api/v1/auth/confirm?token='))).body.isActive).toBe(true);
    });
  });

  describe('login', () => {
    it('gives one 401 message for a wrong password and for an unknown e-mail', async () => {
      const account = await signUp(t);
      const wrong = await t.http.post('/api/v1/auth/login', { email: account.email, password: 'not-the-password' });
      const unknown = await t.http.post('/api/v1/auth/login', { email: uniqueEmail('ghost'), password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('issues an access token that opens /users/me', async () => {
      const account = await signUp(t);
      const response = await me(account.accessToken);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: account.id, email: account.email, isActive: true });
    });

    it('answers 401 problem+json without a token or with a forged one', async () => {
      const none = await t.http.get('/api/v1/users/me');
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await me('not.a.jwt')).status).toBe(401);
      const account = await signUp(t);
      const [header, payload] = account.accessToken.split('.');
      expect((await me(`${header}.${payload}.forgedsignature`)).status).toBe(401);
      expect((await t.http.get('/api/v1/users/me', { headers: { authorization: `Basic ${account.accessToken}` } })).status).toBe(401);
    });
  });

  describe('refresh, rotation and logout', () => {
    it('rotates the refresh token; the old one stops working', async () => {
      const account = await signUp(t);
      const rotated = await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).not.toBe(account.refreshToken);
      expect((await me(rotated.body.accessToken)).status).toBe(200);
      const next = await t.http.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken });
      expect(next.status).toBe(200);
    });

    it('revokes the whole session when a rotated token is reused', async () => {
      const account = await signUp(t);
      const rotated = await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken });
      const reuse = await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken });
      expect(reuse.status).toBe(401);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
      expect((await me(rotated.body.accessToken)).status).toBe(401);
      expect((await me(account.accessToken)).status).toBe(401);
    });

    it('rejects a forged refresh token without touching real sessions', async () => {
      const account = await signUp(t);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: 'forged' })).status).toBe(401);
      expect((await me(account.accessToken)).status).toBe(200);
    });

    it('logout ends the session and its access token, and only that session', async () => {
      const account = await signUp(t);
      const other = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
      expect((await me(account.accessToken)).status).toBe(200);
      const out = await t.http.post('/api/v1/auth/logout', { refreshToken: account.refreshToken });
      expect(out.status).toBe(204);
      expect(out.text).toBe('');
      expect((await me(account.accessToken)).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(401);
      expect((await me(other.body.accessToken)).status).toBe(200);
      expect((await t.http.post('/api/v1/auth/logout', { refreshToken: account.refreshToken })).status).toBe(204);
      expect((await t.http.post('/api/v1/auth/logout', { refreshToken: 'never-issued' })).status).toBe(401);
    });
  });

  describe('password reset', () => {
    it('e-mails a reset link; the reset ends every session and works once', async () => {
      const account = await signUp(t);
      const second = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });

      const forgot = await t.http.post('/api/v1/auth/password/forgot', { email: account.email.toUpperCase() });
      const unknown = await t.http.post('/api/v1/auth/password/forgot', { email: uniqueEmail('nobody') });
      expect(forgot.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(forgot.body).toEqual(unknown.body);

      const mail = await t.smtp.waitFor(account.email, /Reset your Chop-chop password/);
      const link = linkIn(mail, 'http://app.test/reset-password?token=');
      const token = new URL(link).searchParams.get('token');

      const short = await t.http.post('/api/v1/auth/password/reset', { token, password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);

      const reset = await t.http.post('/api/v1/auth/password/reset', { token, password: 'a-brand-new-password' });
      expect(reset.status).toBe(200);
      expect(reset.body.message).toEqual(expect.any(String));

      for (const accessToken of [account.accessToken, second.body.accessToken]) expect((await me(accessToken)).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'a-brand-new-password' })).status).toBe(200);
      expect((await t.http.post('/api/v1/auth/password/reset', { token, password: 'yet-another-password' })).status).toBe(400);
    });

    it('refuses an expired reset token', async () => {
      const account = await signUp(t);
      await t.http.post('/api/v1/auth/password/forgot', { email: account.email });
      const token = new URL(linkIn(await t.smtp.waitFor(account.email, /Reset/), 'http://app.test/reset-password?token=')).searchParams.get('token');
      await sql(t.databaseUrl, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [account.id]);
      expect((await t.http.post('/api/v1/auth/password/reset', { token, password: 'a-brand-new-password' })).status).toBe(400);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('password change', () => {
    it('needs the current password and ends the other sessions only', async () => {
      const account = await signUp(t);
      const other = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
      const body = { currentPassword: PASSWORD, newPassword: 'changed-password-1' };

      expect((await t.http.post('/api/v1/auth/password/change', body)).status).toBe(401);
      const wrong = await t.http.post('/api/v1/auth/password/change', { ...body, currentPassword: 'nope-nope-nope' }, { token: account.accessToken });
      expect(wrong.status).toBe(403);

      const changed = await t.http.post('/api/v1/auth/password/change', body, { token: account.accessToken });
      expect(changed.status).toBe(200);
      expect((await me(account.accessToken)).status).toBe(200);
      expect((await me(other.body.accessToken)).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'changed-password-1' })).status).toBe(200);
    });
  });
});
