import { follow, PASSWORD, registration } from './support/accounts';
import { linkIn } from './support/smtp-capture';
import { startTestApp, type TestApp } from './support/test-app';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

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
  });
});
