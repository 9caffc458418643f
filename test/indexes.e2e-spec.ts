import { Client } from 'pg';
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

  beforeAll(async () => {
    t = await startTestApp();
    client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    await client.query(`
      INSERT INTO users (email, password_hash, first_name, last_name, is_active, created_at)
      SELECT 'seed' || g || '@example.com', 'x', 'First' || g, 'Last', true, now() - g * interval '1 minute'
        FROM generate_series(1, 5000) g;
      INSERT INTO posts (author_id, title, body, complexity, likes, created_at)
      SELECT (u.ids)[1 + g % 5000], 'Recipe ' || g, 'Words about food ' || md5(g::text) || CASE WHEN g % 2000 = 0 THEN ' saffronella' ELSE '' END,
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

  async function listQuery(path: string, table: string): Promise<RecordedQuery> {
    const { result, queries } = await recordQueries(t.app, () => t.http.get(path));
    expect(result.status).toBe(200);
    const main = queries.find((q) => new RegExp(`FROM "?${table}"?\\s`).test(q.sql) && /LIMIT/.test(q.sql));
    if (!main) throw new Error(`no list query on ${table} for ${path}:\n${queries.map((q) => q.sql).join('\n')}`);
    return main;
  }

  const cases: [string, () => string, string, string][] = [
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
  ];

  it.each(cases)('%s', async (_name, path, table, index) => {
    const nodes = await plan(await listQuery(path(), table));
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && ['posts', 'users', 'comments', 'ingredients', 'post_ingredients'].includes(n['Relation Name'] ?? ''));
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
