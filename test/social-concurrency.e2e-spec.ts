import { type Account, signUp } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { expectContractAnswer } from './support/problems';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Social writes against each other and against deletions, many times over: every answer is the
 * contract's, every count equals the rows it counts, and no caller ever sees another's flags.
 */
describe('social concurrency (e2e)', () => {
  let t: TestApp;
  let people: Account[];
  beforeAll(async () => {
    t = await startTestApp();
    people = await Promise.all(Array.from({ length: 6 }, () => signUp(t)));
  });
  afterAll(() => t.close());

  const ROUNDS = 10;
  const follow = (who: Account, id: string, on: boolean) =>
    on ? t.http.put(`/api/v1/users/${id}/follow`, undefined, { token: who.accessToken }) : t.http.delete(`/api/v1/users/${id}/follow`, undefined, { token: who.accessToken });

  /** Every stored counter equals the follows rows it counts. */
  async function expectExactCounts(): Promise<void> {
    const wrong = await sql(
      t.databaseUrl,
      `SELECT u.id FROM users u
        WHERE u.followers_count <> (SELECT count(*) FROM follows f WHERE f.followee_id = u.id)
           OR u.following_count <> (SELECT count(*) FROM follows f WHERE f.follower_id = u.id)`,
    );
    expect(wrong).toEqual([]);
  }

  it('everyone following and unfollowing everyone at once (opposite pairs included) keeps every count exact', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const writes: Promise<ApiResponse>[] = [];
      for (const a of people) for (const b of people) if (a !== b) writes.push(follow(a, b.id, (round + a.id.charCodeAt(0) + b.id.charCodeAt(1)) % 3 !== 0));
      const answers = await Promise.all(writes);
      answers.forEach(expectContractAnswer);
      expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      await expectExactCounts();
      const [{ n }] = await sql<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM follows WHERE follower_id = $1`, [people[0].id]);
      expect((await t.http.get(`/api/v1/users/${people[0].id}`)).body.followingCount).toBe(n);
    }
  });

  it('follows racing the deletion of either account: 200, 404 or 401, and the counts stay exact', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [leaver, stayer] = await Promise.all([signUp(t), signUp(t)]);
      const answers = await Promise.all([
        follow(stayer, leaver.id, true),
        follow(leaver, stayer.id, true),
        ...people.slice(0, 3).map((p) => follow(p, leaver.id, true)),
        t.http.delete('/api/v1/users/me', { password: leaver.password }, { token: leaver.accessToken }),
      ]);
      answers.forEach(expectContractAnswer);
      expect(answers.at(-1)!.status).toBe(204);
      answers.slice(0, -1).forEach((r) => expect([200, 401, 404]).toContain(r.status));
      await expectExactCounts();
      const profile = await t.http.get(`/api/v1/users/${stayer.id}`);
      expect(profile.body).toMatchObject({ followersCount: 0, followingCount: 0 });
    }
  });

  it('saves racing the post’s deletion: 200 or 404, and no save outlives its post', async () => {
    const [cook, reader] = people;
    for (let round = 0; round < ROUNDS; round += 1) {
      const post = await createPost(t, cook);
      const answers = await Promise.all([
        t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: reader.accessToken }),
        t.http.delete(`/api/v1/posts/${post.id}/save`, undefined, { token: people[2].accessToken }),
        t.http.put(`/api/v1/posts/${post.id}/save`, undefined, { token: people[3].accessToken }),
        t.http.delete(`/api/v1/posts/${post.id}`, undefined, { token: cook.accessToken }),
      ]);
      answers.forEach(expectContractAnswer);
      answers.slice(0, -1).forEach((r) => expect([200, 404]).toContain(r.status));
      expect(await sql(t.databaseUrl, `SELECT 1 FROM saves WHERE post_id = $1`, [post.id])).toEqual([]);
      expect((await t.http.get('/api/v1/users/me/saved', { token: reader.accessToken })).body.items.map((p: { id: string }) => p.id)).not.toContain(post.id);
    }
  });

  it('many callers reading one cached page at once each get their own flags, never another’s', async () => {
    const cook = people[5];
    const posts = [await createPost(t, cook), await createPost(t, cook), await createPost(t, cook)];
    // Reader i likes post i % 3 and saves post (i + 1) % 3: every reader's flags differ from the others'.
    const readers = people.slice(0, 5);
    await Promise.all(
      readers.flatMap((r, i) => [
        t.http.put(`/api/v1/posts/${posts[i % 3].id}/like`, undefined, { token: r.accessToken }),
        t.http.put(`/api/v1/posts/${posts[(i + 1) % 3].id}/save`, undefined, { token: r.accessToken }),
      ]),
    );
    const expected = (i: number) =>
      Object.fromEntries(posts.map((p, k) => [p.id, { liked: k === i % 3, saved: k === (i + 1) % 3 }]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const reads = await Promise.all(
        [...readers, undefined, ...readers].map((r) => t.http.get(`/api/v1/users/${cook.id}/posts?limit=3`, { token: r?.accessToken })),
      );
      reads.forEach((read, j) => {
        const i = j % (readers.length + 1);
        const flags = Object.fromEntries(read.body.items.map((p: { id: string; liked?: boolean; saved?: boolean }) => [p.id, { liked: p.liked, saved: p.saved }]));
        if (i === readers.length) expect(Object.values(flags)).toEqual(posts.map(() => ({ liked: undefined, saved: undefined })));
        else expect(flags).toEqual(expected(i));
      });
    }
  });

  it('one follow sent many times at once, and mixed with its own unfollow: one row at most, exact counts', async () => {
    const [fan, star] = await Promise.all([signUp(t), signUp(t)]);
    for (let round = 0; round < ROUNDS; round += 1) {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => follow(fan, star.id, i % 3 !== 2)));
      answers.forEach(expectContractAnswer);
      expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const rows = await sql(t.databaseUrl, `SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2`, [fan.id, star.id]);
      expect(rows.length).toBeLessThanOrEqual(1);
      await expectExactCounts();
    }
  });

  it('one save sent many times at once, and mixed with its own unsave: one row at most, 200 each time', async () => {
    const [cook, reader] = [people[0], people[1]];
    const post = await createPost(t, cook);
    for (let round = 0; round < ROUNDS; round += 1) {
      const path = `/api/v1/posts/${post.id}/save`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 3 === 2 ? t.http.delete(path, undefined, { token: reader.accessToken }) : t.http.put(path, undefined, { token: reader.accessToken }))),
      );
      answers.forEach(expectContractAnswer);
      expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const rows = await sql(t.databaseUrl, `SELECT 1 FROM saves WHERE user_id = $1 AND post_id = $2`, [reader.id, post.id]);
      expect(rows.length).toBeLessThanOrEqual(1);
    }
  });
});
