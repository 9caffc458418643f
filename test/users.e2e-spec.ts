import fc from 'fast-check';
import { PASSWORD, register, signUp, type Account } from './support/accounts';
import { anyString, runs } from './support/arbitraries';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

describe('users (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('profiles', () => {
    let account: Account;
    beforeAll(async () => {
      account = await signUp(t, { firstName: 'Grace', lastName: 'Hopper' });
    });

    it('shows a public profile without e-mail or password fields', async () => {
      const response = await t.http.get(`/api/v1/users/${account.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: account.id,
        firstName: 'Grace',
        lastName: 'Hopper',
        bio: '',
        postsCount: 0,
        followersCount: 0,
        followingCount: 0,
        createdAt: expect.any(String),
      });
      expect(response.text).not.toMatch(/email|password|isActive/i);
    });

    it('updates first name, last name and bio, trimming names', async () => {
      const response = await t.http.patch('/api/v1/users/me', { firstName: '  Amazing Grace ', bio: 'COBOL and cake.' }, { token: account.accessToken });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ firstName: 'Amazing Grace', lastName: 'Hopper', bio: 'COBOL and cake.', email: account.email });
      expect((await t.http.get(`/api/v1/users/${account.id}`)).body).toMatchObject({ firstName: 'Amazing Grace', bio: 'COBOL and cake.' });
      const unchanged = await t.http.patch('/api/v1/users/me', {}, { token: account.accessToken });
      expect(unchanged.body.firstName).toBe('Amazing Grace');
    });

    it('answers 404 for unknown and unconfirmed users', async () => {
      expect((await t.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const pending = await register(t);
      expect((await t.http.get(`/api/v1/users/${pending.id}`)).status).toBe(404);
    });
  });

  describe('account deletion', () => {
    it('needs the password, then removes the account and ends its sessions at once', async () => {
      const account = await signUp(t);
      const token = account.accessToken;
      const wrong = await t.http.delete('/api/v1/users/me', { password: 'not-my-password' }, { token });
      expect(wrong.status).toBe(403);
      expect((await t.http.get(`/api/v1/users/${account.id}`)).status).toBe(200);

      const deleted = await t.http.delete('/api/v1/users/me', { password: PASSWORD }, { token });
      expect(deleted.status).toBe(204);
      expect((await t.http.get('/api/v1/users/me', { token })).status).toBe(401);
      expect((await t.http.get(`/api/v1/users/${account.id}`)).status).toBe(404);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(401);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken })).status).toBe(401);
      const leftovers = await sql(t.databaseUrl, 'SELECT (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS s, (SELECT count(*) FROM user_tokens WHERE user_id = $1)::int AS t', [account.id]);
      expect(leftovers[0]).toEqual({ s: 0, t: 0 });
    });

    it('needs a body with the password', async () => {
      const account = await signUp(t);
      const response = await t.http.delete('/api/v1/users/me', undefined, { token: account.accessToken });
      expect(response.status).toBe(400);
      expect((await t.http.get('/api/v1/users/me', { token: account.accessToken })).status).toBe(200);
    });
  });

  describe('listing', () => {
    let t2: TestApp;
    const ids: string[] = [];
    beforeAll(async () => {
      t2 = await startTestApp();
      for (let i = 0; i < 7; i += 1) ids.push((await signUp(t2, { firstName: `User${i}` })).id);
      await register(t2); // unconfirmed: never listed
    });
    afterAll(() => t2.close());

    it('lists active users newest first with a default page size', async () => {
      const response = await t2.http.get('/api/v1/users');
      expect(response.status).toBe(200);
      expect(response.body.items.map((u: { id: string }) => u.id)).toEqual([...ids].reverse());
      expect(response.body.nextCursor).toBeNull();
      expect(response.text).not.toMatch(/email/i);
    });

    it('walks every page exactly once by cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
        const response = await t2.http.get(`/api/v1/users${query}`);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...response.body.items.map((u: { id: string }) => u.id));
        cursor = response.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('keeps pages stable when users join between requests', async () => {
      const first = await t2.http.get('/api/v1/users?limit=4');
      await signUp(t2, { firstName: 'Latecomer' });
      const second = await t2.http.get(`/api/v1/users?limit=4&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      const walked = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
      expect(walked).toEqual([...ids].reverse());
    });

    // List items are JSON written by PostgreSQL (row_to_json), a profile is serialised by Node: the two
    // must agree on every field, whatever users wrote, for anonymous and signed-in callers alike.
    it('shows a user in the list exactly as their profile shows them, whatever their names and bio', async () => {
      const subject = await signUp(t2, { firstName: 'Listed' });
      const viewer = await signUp(t2, { firstName: 'Viewer' });
      await t2.http.put(`/api/v1/users/${subject.id}/follow`, undefined, { token: viewer.accessToken });
      await fc.assert(
        fc.asyncProperty(anyString, anyString, anyString, async (firstName, lastName, bio) => {
          const changed = await t2.http.patch('/api/v1/users/me', { firstName, lastName, bio }, { token: subject.accessToken });
          fc.pre(changed.status === 200); // blank names, NUL, lone surrogates: refused (400), tested elsewhere
          for (const token of [undefined, viewer.accessToken]) {
            const [listed, profile] = await Promise.all([t2.http.get('/api/v1/users?limit=100', { token }), t2.http.get(`/api/v1/users/${subject.id}`, { token })]);
            expect(listed.body.items.find((user: { id: string }) => user.id === subject.id)).toEqual(profile.body);
          }
        }),
        runs(15),
      );
    });

    it('accepts offset for simple clients, but not together with a cursor', async () => {
      const all = (await t2.http.get('/api/v1/users?limit=100')).body.items.map((u: { id: string }) => u.id);
      const offset = await t2.http.get('/api/v1/users?limit=2&offset=2');
      expect(offset.body.items.map((u: { id: string }) => u.id)).toEqual(all.slice(2, 4));
      const both = await t2.http.get(`/api/v1/users?offset=1&cursor=${encodeURIComponent(offset.body.nextCursor)}`);
      expect(both.status).toBe(400);
    });
  });
});
