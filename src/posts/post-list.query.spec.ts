import { buildPostListQuery } from './post-list.query';

const ID = '4f6b3a5e-2f7d-4a8e-9d53-2c0f5b6c1a11';
const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('buildPostListQuery', () => {
  it('pages newest first with no filters', () => {
    const { sql, params } = buildPostListQuery({ sort: 'new' }, 21);
    expect(squash(sql)).toMatch(/^WITH page AS \(SELECT .* FROM posts p JOIN users u ON u.id = p.author_id ORDER BY p.created_at DESC, p.id DESC LIMIT \$1::int\) /);
    // The ingredient lines of the page's posts, in the same statement, and the page's order kept.
    expect(squash(sql)).toMatch(/WHERE pi.post_id IN \(SELECT id FROM page\) GROUP BY pi.post_id\) lines ON lines.post_id = page.id ORDER BY page."createdAt" DESC, page.id DESC$/);
    expect(squash(sql)).not.toMatch(/WHERE (?!pi.post_id IN)/);
    expect(sql).not.toContain('p.body');
    expect(params).toEqual([21]);
  });

  it('continues after a timestamp cursor', () => {
    const { sql, params } = buildPostListQuery({ sort: 'new' }, 21, { key: '2026-11-22T10:00:00.123456Z', id: ID });
    expect(squash(sql)).toContain('WHERE (p.created_at, p.id) < ($1::timestamptz, $2::uuid) ORDER BY p.created_at DESC, p.id DESC LIMIT $3::int');
    expect(params).toEqual(['2026-11-22T10:00:00.123456Z', ID, 21]);
  });

  it('orders by likes for popular, with a (likes, id) cursor', () => {
    const { sql, params } = buildPostListQuery({ sort: 'popular' }, 5, { key: 7, id: ID });
    expect(squash(sql)).toContain('WHERE (p.likes, p.id) < ($1::int, $2::uuid) ORDER BY p.likes DESC, p.id DESC');
    expect(squash(sql)).toMatch(/ORDER BY page.likes DESC, page.id DESC$/);
    expect(params).toEqual([7, ID, 5]);
  });

  it('combines every filter with bound parameters only', () => {
    const { sql, params } = buildPostListQuery(
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
    expect(params).toEqual(['hard', ID, "tomato'; DROP TABLE posts", 3, 9, 10]);
  });
});
