import { buildPostListQuery } from './post-list.query';

const ID = '4f6b3a5e-2f7d-4a8e-9d53-2c0f5b6c1a11';
const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('buildPostListQuery', () => {
  it('pages newest first with no filters', () => {
    const { sql, params, planStable } = buildPostListQuery({ sort: 'new' }, 21);
    expect(squash(sql)).toMatch(/^WITH page AS \(SELECT .* FROM posts p JOIN users u ON u.id = p.author_id ORDER BY p.created_at DESC, p.id DESC LIMIT 21\) /);
    // Each item's JSON with the page's ingredient lines, in the same statement, and the page's order kept.
    expect(squash(sql)).toMatch(/^WITH page AS \(.*\) SELECT page.id, page.likes, page."createdAt", row_to_json\(item\)::text AS json, NULL AS cover FROM page /);
    expect(squash(sql)).toMatch(/WHERE pi.post_id IN \(SELECT id FROM page\) GROUP BY pi.post_id\) lines ON lines.post_id = page.id CROSS JOIN LATERAL \(.*\) item ORDER BY page."createdAt" DESC, page.id DESC$/);
    expect(squash(sql)).not.toMatch(/WHERE (?!pi.post_id IN)/);
    expect(sql).not.toContain('p.body');
    expect(params).toEqual([]);
    expect(planStable).toBe(true);
  });

  it('continues after a timestamp cursor', () => {
    const { sql, params } = buildPostListQuery({ sort: 'new' }, 21, { key: '2026-11-22T10:00:00.123456Z', id: ID });
    expect(squash(sql)).toContain('WHERE (p.created_at, p.id) < ($1::timestamptz, $2::uuid) ORDER BY p.created_at DESC, p.id DESC LIMIT 21)');
    expect(params).toEqual(['2026-11-22T10:00:00.123456Z', ID]);
  });

  it('orders by likes for popular, with a (likes, id) cursor', () => {
    const { sql, params } = buildPostListQuery({ sort: 'popular' }, 5, { key: 7, id: ID });
    expect(squash(sql)).toContain('WHERE (p.likes, p.id) < ($1::int, $2::uuid) ORDER BY p.likes DESC, p.id DESC LIMIT 5)');
    expect(squash(sql)).toMatch(/ORDER BY page.likes DESC, page.id DESC$/);
    expect(params).toEqual([7, ID]);
  });

  it('combines every filter with bound parameters only', () => {
    const { sql, params, planStable } = buildPostListQuery(
      { sort: 'new', complexity: 'hard', authorId: ID, q: "tomato'; DROP TABLE posts", ingredientIds: [3, 9] },
      10,
    );
    const text = squash(sql);
    expect(text).toContain('p.complexity = $1');
    expect(text).toContain('p.author_id = $2::uuid');
    expect(text).toContain("p.search @@ websearch_to_tsquery('english', $3)");
    expect(text).toContain('pi.ingredient_id = $4::int');
    expect(text).toContain('pi.ingredient_id = $5::int');
    expect(text).not.toContain('DROP');
    expect(params).toEqual(['hard', ID, "tomato'; DROP TABLE posts", 3, 9]);
    expect(planStable).toBe(false); // a word's or an ingredient's best plan depends on how common it is
  });

  it('prepares only the shapes one plan serves: an author’s or a complexity’s posts, not the feed', () => {
    expect(buildPostListQuery({ sort: 'popular', authorId: ID, complexity: 'easy' }, 21).planStable).toBe(true);
    expect(buildPostListQuery({ sort: 'new', followedBy: ID }, 21).planStable).toBe(false);
    expect(buildPostListQuery({ sort: 'new', q: 'basil' }, 21).planStable).toBe(false);
    expect(buildPostListQuery({ sort: 'new', ingredientIds: [4] }, 21).planStable).toBe(false);
  });

  it('writes the limit in only when it is a positive integer', () => {
    for (const limit of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(() => buildPostListQuery({ sort: 'new' }, limit)).toThrow(/invalid page limit/);
  });
});
