import { Client } from 'pg';
import { type Account, signUp } from './support/accounts';
import { recordQueries, type RecordedQuery } from './support/query-recorder';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/**
 * Seeds enough rows that the planner prefers indexes, then EXPLAINs the exact SQL each list
 * endpoint ran: no sequential scan on the big tables, and the index meant for that query.
 */
describe('every list query is served by its index (e2e)', () => {
  let t: TestApp;
  let client: Client;
  let someAuthor: string;
  let somePost: string;
  let rareIngredientId: number;
  let rarePrefix: string;
  let heavy: Account;
  let light: Account;

  beforeAll(async () => {
    t = await startTestApp();
    client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    await client.query(`
      INSERT INTO users (email, password_hash, first_name, last_name, is_active, created_at)
      SELECT 'seed' || g || '@example.com', 'x', 'First' || g, 'Last', true, now() - g * interval '1 minute'
        FROM generate_series(1, 5000) g;
      INSERT INTO posts (author_id, title, body, complexity, likes, created_at)
      -- Bodies share a vocabulary (400 spice words) as real recipes do: with only unique words, the
      -- search column's statistics keep no common words, PostgreSQL then guesses 0.5 % for any
      -- word not among them, and a rare word's plan flipped between runs.
      SELECT (u.ids)[1 + g % 5000], 'Recipe ' || g, 'Words about food ' || md5(g::text) || ' spice' || (g % 400) || CASE WHEN g % 2000 = 0 THEN ' saffronella' ELSE '' END,
             (CASE WHEN g % 50 = 0 THEN 'hard' WHEN g % 3 = 0 THEN 'medium' ELSE 'easy' END)::post_complexity,
             (g * 7919) % 1000, now() - g * interval '1 second'
        FROM generate_series(1, 40000) g, (SELECT array_agg(id) AS ids FROM users) u;
      INSERT INTO ingredients (name) SELECT md5('ingredient' || g) FROM generate_series(1, 50000) g;
      INSERT INTO post_ingredients (post_id, ingredient_id, position, quantity)
      SELECT p.id, 1 + (p.n * k * 31 + k) % 2999, k, NULL
        FROM (SELECT id, row_number() OVER () AS n FROM posts) p, generate_series(1, 4) k
      ON CONFLICT DO NOTHING;
      INSERT INTO comments (post_id, author_id, body, created_at)
      SELECT p.id, p.author_id, 'Comment ' || g, now() - g * interval '1 second'
        FROM generate_series(1, 20) g, (SELECT id, author_id FROM posts ORDER BY created_at DESC LIMIT 1000) p;
      ANALYZE;
    `);
    // Social: a heavy follower following every author, a light one following three; saves for both.
    [heavy, light] = await Promise.all([signUp(t), signUp(t)]);
    await client.query(`INSERT INTO follows (follower_id, followee_id, created_at) SELECT $1::uuid, id, now() - row_number() OVER () * interval '1 second' FROM users WHERE email LIKE 'seed%'`, [heavy.id]);
    await client.query(`INSERT INTO follows (follower_id, followee_id) SELECT $1::uuid, id FROM users WHERE email LIKE 'seed%' ORDER BY created_at LIMIT 3`, [light.id]);
    await client.query(`INSERT INTO follows (follower_id, followee_id) SELECT id, $1::uuid FROM users WHERE email LIKE 'seed%'`, [heavy.id]);
    await client.query(
      `INSERT INTO saves (user_id, post_id, created_at)
       SELECT u.id, p.id, now() - p.g * interval '1 second'
         FROM (SELECT id FROM users WHERE email LIKE 'seed%' LIMIT 100) u,
              (SELECT id, row_number() OVER (ORDER BY created_at DESC) AS g FROM posts LIMIT 200) p`,
    );
    await client.query(`INSERT INTO saves (user_id, post_id) SELECT $1::uuid, id FROM posts ORDER BY likes LIMIT 500`, [heavy.id]);
    await client.query('ANALYZE');
    someAuthor = (await client.query(`SELECT author_id FROM posts LIMIT 1`)).rows[0].author_id;
    somePost = (await client.query(`SELECT id FROM posts ORDER BY created_at DESC LIMIT 1`)).rows[0].id;
    const rare = await client.query(`
      SELECT ingredient_id, count(*) FROM post_ingredients GROUP BY 1 ORDER BY 2, 1 LIMIT 1`);
    rareIngredientId = rare.rows[0].ingredient_id;
    rarePrefix = (await client.query(`SELECT left(name, 6) AS p FROM ingredients ORDER BY id LIMIT 1`)).rows[0].p;
  }, 120_000);
  afterAll(async () => {
    await client.end();
    await t.close();
  });

  async function plan(query: RecordedQuery): Promise<PlanNode[]> {
    const result = await client.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.parameters as unknown[]);
    return flatten(result.rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  }

  async function listQuery(path: string, table: string, caller?: Account): Promise<RecordedQuery> {
    const { result, queries } = await recordQueries(t.app, () => t.http.get(path, { token: caller?.accessToken }));
    expect(result.status).toBe(200);
    const main = queries.find((q) => new RegExp(`FROM "?${table}"?\\s`).test(q.sql) && /LIMIT/.test(q.sql));
    if (!main) throw new Error(`no list query on ${table} for ${path}:\n${queries.map((q) => q.sql).join('\n')}`);
    return main;
  }

  const cases: [string, () => string, string, string, (() => Account)?][] = [
    ['new-first posts', () => '/api/v1/posts?limit=20', 'posts', 'posts_created_idx'],
    ['new-first posts, 100 a page', () => '/api/v1/posts?limit=100', 'posts', 'posts_created_idx'],
    ['popular posts', () => '/api/v1/posts?sort=popular&limit=100', 'posts', 'posts_popular_idx'],
    ['posts by author', () => `/api/v1/posts?author=${someAuthor}`, 'posts', 'posts_author_created_idx'],
    ["a user's posts", () => `/api/v1/users/${someAuthor}/posts`, 'posts', 'posts_author_created_idx'],
    ['posts of a rare complexity', () => '/api/v1/posts?complexity=hard', 'posts', 'posts_complexity_created_idx'],
    ['posts with an ingredient', () => `/api/v1/posts?ingredient=${rareIngredientId}`, 'posts', 'post_ingredients_ingredient_post_idx'],
    ['full-text search', () => '/api/v1/posts?q=saffronella', 'posts', 'posts_search_idx'],
    ['active users', () => '/api/v1/users?limit=100', 'users', 'users_active_created_idx'],
    ["a post's comments", () => `/api/v1/posts/${somePost}/comments`, 'comments', 'comments_post_created_idx'],
    ['ingredient autocomplete', () => `/api/v1/ingredients?q=${rarePrefix}`, 'ingredients', 'ingredients_name_trgm_idx'],
    ['the feed of a caller following every author', () => '/api/v1/feed', 'posts', 'posts_created_idx', () => heavy],
    ['the feed of a caller following three authors', () => '/api/v1/feed', 'posts', 'posts_author_created_idx', () => light],
    ["a user's followers", () => `/api/v1/users/${heavy.id}/followers?limit=100`, 'follows', 'follows_followee_created_idx'],
    ['whom a user follows', () => `/api/v1/users/${heavy.id}/following?limit=100`, 'follows', 'follows_follower_created_idx'],
    ['saved recipes', () => '/api/v1/users/me/saved', 'saves', 'saves_user_created_idx', () => heavy],
  ];

  it.each(cases)('%s', async (...[, path, table, index, caller]) => {
    const nodes = await plan(await listQuery(path(), table, caller?.()));
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && ['posts', 'users', 'comments', 'ingredients', 'post_ingredients', 'follows', 'saves'].includes(n['Relation Name'] ?? ''));
    expect(seqScans.map((n) => n['Relation Name'])).toEqual([]);
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toContain(index);
  });

  it('follows a cursor on the same index', async () => {
    const first = await t.http.get('/api/v1/posts?sort=popular&limit=5');
    const query = await listQuery(`/api/v1/posts?sort=popular&limit=5&cursor=${first.body.nextCursor}`, 'posts');
    expect((await plan(query)).map((n) => n['Index Name'])).toContain('posts_popular_idx');
    const [{ n }] = await sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM posts');
    expect(n).toBe(40_000);
  });
});
