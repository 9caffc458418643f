import { randomBytes } from 'node:crypto';
import { PASSWORD, signUp, type Account } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { expectContractAnswer } from './support/problems';
import { createPost, postInput } from './support/posts';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Conflicting writes, run against each other many times: every answer is the contract's 2xx or
 * 4xx (never a 5xx), and the outcome is the one the answers promised.
 */
describe('concurrency (e2e)', () => {
  let t: TestApp;
  let owner: Account;
  let fan: Account;
  beforeAll(async () => {
    t = await startTestApp();
    [owner, fan] = await Promise.all([signUp(t), signUp(t)]);
  });
  afterAll(() => t.close());

  const ROUNDS = 12;
  const statuses = (responses: ApiResponse[]) => responses.map((r) => r.status);
  const unique = () => randomBytes(4).toString('hex');
  const login = async (account: Account) => (await t.http.post('/api/v1/auth/login', { email: account.email, password: account.password })).body;

  it('posts creating the same new ingredients in opposite orders all succeed', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Many new names, so the four inserts overlap: in input order they would take their locks crosswise.
      const names = Array.from({ length: 100 }, (_, i) => `ingredient-${i}-${unique()}`);
      const shuffled = (seed: number) => [...names].sort((a, b) => ((a.charCodeAt(a.length - 1 - (seed % 4)) * 31 + seed) % 97) - ((b.charCodeAt(b.length - 1 - (seed % 4)) * 31 + seed) % 97));
      const orders = [names, [...names].reverse(), shuffled(1), shuffled(2), shuffled(3), shuffled(5)];
      const responses = await Promise.all(
        orders.map((order, i) =>
          t.http.post('/api/v1/posts', postInput({ ingredients: order.map((name) => ({ name: i % 2 ? name.toUpperCase() : name })) }), { token: owner.accessToken }),
        ),
      );
      responses.forEach(expectContractAnswer);
      expect(statuses(responses)).toEqual(orders.map(() => 201));
      const ids = responses.map((r) => r.body.ingredients.map((line: { id: number }) => line.id).sort((a: number, b: number) => a - b));
      expect(new Set(ids.map(String)).size).toBe(1); // the same four ingredients for all
    }
  });

  it('adding one new ingredient from many requests at once: one 201, the rest 200 with the same row', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const name = `spice-${unique()}`;
      const responses = await Promise.all([name, name.toUpperCase(), ` ${name} `, name].map((n) => t.http.post('/api/v1/ingredients', { name: n }, { token: fan.accessToken })));
      responses.forEach(expectContractAnswer);
      expect(statuses(responses).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    }
  });

  it('likes, comments and edits racing the post’s deletion: 2xx before it, 404 after, never 5xx', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const post = await createPost(t, owner);
      const path = `/api/v1/posts/${post.id}`;
      const [like, unlike, comment, patch, deleted] = await Promise.all([
        t.http.put(`${path}/like`, undefined, { token: fan.accessToken }),
        t.http.delete(`${path}/like`, undefined, { token: owner.accessToken }),
        t.http.post(`${path}/comments`, { body: 'Racing' }, { token: fan.accessToken }),
        t.http.patch(path, { title: 'Edited', ingredients: [{ name: `racing-${unique()}` }] }, { token: owner.accessToken }),
        t.http.delete(path, undefined, { token: owner.accessToken }),
      ]);
      [like, unlike, comment, patch, deleted].forEach(expectContractAnswer);
      expect(deleted.status).toBe(204);
      expect([200, 404]).toContain(like.status);
      expect([200, 404]).toContain(unlike.status);
      expect([201, 404]).toContain(comment.status);
      expect([200, 404]).toContain(patch.status);
      expect((await t.http.get(path)).status).toBe(404);
    }
  });

  it('writes racing the deletion of their author’s account: 2xx before it, 401 after, never 5xx', async () => {
    const post = await createPost(t, owner);
    for (let round = 0; round < ROUNDS / 2; round += 1) {
      const leaving = await signUp(t);
      const token = leaving.accessToken;
      const [created, patched, commented, liked, ingredient, deleted] = await Promise.all([
        t.http.post('/api/v1/posts', postInput({ ingredients: [{ name: `parting-${unique()}` }] }), { token }),
        t.http.patch('/api/v1/users/me', { bio: 'Leaving soon' }, { token }),
        t.http.post(`/api/v1/posts/${post.id}/comments`, { body: 'Bye' }, { token }),
        t.http.put(`/api/v1/posts/${post.id}/like`, undefined, { token }),
        t.http.post('/api/v1/ingredients', { name: `farewell-${unique()}` }, { token }),
        t.http.delete('/api/v1/users/me', { password: PASSWORD }, { token }),
      ]);
      [created, patched, commented, liked, ingredient, deleted].forEach(expectContractAnswer);
      expect(deleted.status).toBe(204);
      expect([201, 401]).toContain(created.status);
      expect([200, 401]).toContain(patched.status);
      expect([201, 401]).toContain(commented.status);
      expect([200, 401]).toContain(liked.status);
      expect([200, 201, 401]).toContain(ingredient.status);
      // Whatever got in went with the account: the post's counts are back where they were.
      const after = await t.http.get(`/api/v1/posts/${post.id}`);
      expect(after.body).toMatchObject({ likes: 0, commentsCount: 0 });
      expect((await t.http.get(`/api/v1/users/${leaving.id}`)).status).toBe(404);
    }
  });

  it('refresh racing logout on one token: the session ends either way', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const session = await login(fan);
      const [refreshed, loggedOut] = await Promise.all([
        t.http.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken }),
        t.http.post('/api/v1/auth/logout', { refreshToken: session.refreshToken }),
      ]);
      [refreshed, loggedOut].forEach(expectContractAnswer);
      expect(loggedOut.status).toBe(204);
      expect([200, 401]).toContain(refreshed.status);
      const tokens = refreshed.status === 200 ? [session.accessToken, refreshed.body.accessToken] : [session.accessToken];
      for (const token of tokens) expect((await t.http.get('/api/v1/users/me', { token })).status).toBe(401);
      if (refreshed.status === 200) expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
    }
  });

  /** Keeps requests with `token` in flight until stopped; returns their answers. */
  function keepBusy(token: string): { stop: () => Promise<ApiResponse[]> } {
    let running = true;
    const answers: ApiResponse[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      while (running) answers.push(await t.http.get('/api/v1/users/me', { token }));
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(workers);
        return answers;
      },
    };
  }

  it('logout racing requests in flight: once it is answered, no request with the token gets through', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const session = await login(fan);
      const busy = keepBusy(session.accessToken);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await t.http.post('/api/v1/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);
      const after = await Promise.all(Array.from({ length: 6 }, () => t.http.get('/api/v1/users/me', { token: session.accessToken })));
      expect(statuses(after)).toEqual([401, 401, 401, 401, 401, 401]);
      (await busy.stop()).forEach(expectContractAnswer);
      expect((await t.http.get('/api/v1/users/me', { token: session.accessToken })).status).toBe(401);
    }
  });

  it('a password change racing the other sessions’ requests: once answered, those sessions are out', async () => {
    const account = await signUp(t);
    let password = account.password;
    for (let round = 0; round < ROUNDS / 2; round += 1) {
      const [mine, other] = [await login({ ...account, password }), await login({ ...account, password })];
      const busy = keepBusy(other.accessToken);
      const next = `${PASSWORD}-${round}`;
      const changed = await t.http.post('/api/v1/auth/password/change', { currentPassword: password, newPassword: next }, { token: mine.accessToken });
      expect(changed.status).toBe(200);
      password = next;
      expect((await t.http.get('/api/v1/users/me', { token: other.accessToken })).status).toBe(401);
      (await busy.stop()).forEach(expectContractAnswer);
      expect((await t.http.get('/api/v1/users/me', { token: mine.accessToken })).status).toBe(200);
    }
  });
});
