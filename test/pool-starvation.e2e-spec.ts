import { type Account, signUp } from './support/accounts';
import { pngOf, uploadPhoto } from './support/photos';
import { createPost, postInput } from './support/posts';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A pool of two connections and eight writers of each kind at once: a write that took a second
 * connection while its transaction held the first would deadlock the pool (every transaction
 * waiting for a connection another holds) until the pool's timeout, and answer 503. Found by the
 * benchmark at 32 connections: PATCH read the post's photos outside its transaction.
 */
describe('no request needs two pool connections at once (e2e)', () => {
  let t: TestApp;
  let cooks: Account[];
  beforeAll(async () => {
    t = await startTestApp({ env: { DATABASE_POOL_MAX: '2' } });
    cooks = [];
    for (let i = 0; i < 8; i += 1) cooks.push(await signUp(t));
  });
  afterAll(() => t.close());

  it('creates, edits, replaces, comments on, likes, saves and follows, eight at a time, without a 503', async () => {
    const posts = await Promise.all(cooks.map((cook) => createPost(t, cook)));
    const png = await pngOf(8, 'red');
    const rounds: [string, (cook: Account, i: number) => Promise<{ status: number; text?: string }>][] = [
      ['create', (cook) => t.http.post('/api/v1/posts', postInput(), { token: cook.accessToken })],
      ['patch', (cook, i) => t.http.patch(`/api/v1/posts/${posts[i].id}`, { title: `Edited ${i}` }, { token: cook.accessToken })],
      ['put', (cook, i) => t.http.put(`/api/v1/posts/${posts[i].id}`, postInput({ title: `Replaced ${i}` }), { token: cook.accessToken })],
      ['upload', (cook, i) => uploadPhoto(t, cook, posts[i].id, png)],
      ['comment', (cook, i) => t.http.post(`/api/v1/posts/${posts[(i + 1) % 8].id}/comments`, { body: 'Lovely' }, { token: cook.accessToken })],
      ['like', (cook, i) => t.http.put(`/api/v1/posts/${posts[(i + 1) % 8].id}/like`, undefined, { token: cook.accessToken })],
      ['save', (cook, i) => t.http.put(`/api/v1/posts/${posts[(i + 1) % 8].id}/save`, undefined, { token: cook.accessToken })],
      ['follow', (cook, i) => t.http.put(`/api/v1/users/${cooks[(i + 1) % 8].id}/follow`, undefined, { token: cook.accessToken })],
      ['profile', (cook, i) => t.http.patch('/api/v1/users/me', { firstName: `Cook ${i}` }, { token: cook.accessToken })],
    ];
    for (const [kind, write] of rounds) {
      const failed = (await Promise.all(cooks.map((cook, i) => write(cook, i)))).filter((r) => r.status >= 300);
      expect([kind, failed.map((r) => `${r.status} ${r.text}`)]).toEqual([kind, []]);
    }
  });
});
