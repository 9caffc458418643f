import { isoMicros, isoMillis, type KeysetPosition, writtenLimit } from '../common/pagination/cursor';
import type { Complexity } from './entities/post.entity';
import type { PostSort } from './dto/list-posts.query';

export interface PostListFilters {
  sort: PostSort;
  complexity?: Complexity;
  authorId?: string;
  /** Posts must contain every one of these ingredients. */
  ingredientIds?: number[];
  q?: string;
  /** Only posts by the people this user follows (the feed). */
  followedBy?: string;
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
  /** One plan serves every value of `params`: worth preparing (see database/prepared-statements). */
  planStable: boolean;
}

/**
 * Ingredient lines as the API shows them, in order, as one JSON array text over `LINES_FROM`:
 * compact (row_to_json writes no spaces; json_agg's separators carry them).
 */
const LINES_JSON = `'[' || string_agg(row_to_json(line)::text, ',' ORDER BY pi.position) || ']'`;
const LINES_FROM = 'FROM post_ingredients pi JOIN ingredients i ON i.id = pi.ingredient_id CROSS JOIN LATERAL (SELECT i.id, i.name, pi.quantity) line';

/**
 * Rows of `postsSql` (aliased `page`, of `postColumns(false)`), each as its summary item's JSON
 * text built by PostgreSQL, with the page's cursor keys beside it: Node passes the text through
 * (see common/json/raw-json) instead of parsing ~1 000 ingredient lines of a 100-post page into
 * objects and serialising them again. The cover is another feature's: `coverSql` (an expression
 * over `page.id`) reads it, and the item gets it last. One statement, one round trip.
 */
export function summaryItems(postsSql: string, coverSql: string, order?: string): string {
  return `WITH page AS (${postsSql})
    SELECT page.id, page.likes, page."createdAt", row_to_json(item)::text AS json, ${coverSql} AS cover
      FROM page
      LEFT JOIN (SELECT pi.post_id, ${LINES_JSON} AS ingredients ${LINES_FROM}
                  WHERE pi.post_id IN (SELECT id FROM page) GROUP BY pi.post_id) lines ON lines.post_id = page.id
      CROSS JOIN LATERAL (SELECT page.id, page.title, page.complexity, page."cookingTimeMinutes", page.servings,
                                 (SELECT row_to_json(a) FROM (SELECT page."authorId" AS id, page."authorFirstName" AS "firstName", page."authorLastName" AS "lastName") a) AS author,
                                 page.likes, page."commentsCount", COALESCE(lines.ingredients, '[]')::json AS ingredients,
                                 ${isoMillis('page."createdAt"')} AS "createdAt", ${isoMillis('page."updatedAt"')} AS "updatedAt") item
    ${order ? `ORDER BY ${order}` : ''}`;
}

/** The lines of the post `p` of the enclosing query (one post: a correlated subquery is cheapest). */
const INGREDIENT_LINES_OF_P = `COALESCE((SELECT ${LINES_JSON} ${LINES_FROM} WHERE pi.post_id = p.id), '[]')::json AS ingredients`;

/** Columns of a post row with its author (`PostRow`); `body` and the ingredient lines for the detail. */
export function postColumns(withBody: boolean): string {
  return [
    'p.id',
    'p.title',
    ...(withBody ? ['p.body'] : []),
    'p.complexity',
    'p.cooking_time_minutes AS "cookingTimeMinutes"',
    'p.servings',
    'p.likes',
    'p.comments_count AS "commentsCount"',
    `${isoMicros('p.created_at')} AS "createdAt"`,
    `${isoMicros('p.updated_at')} AS "updatedAt"`,
    'u.id AS "authorId"',
    'u.first_name AS "authorFirstName"',
    'u.last_name AS "authorLastName"',
    ...(withBody ? [INGREDIENT_LINES_OF_P] : []),
  ].join(', ');
}

/**
 * One page of posts as a single keyset query. Each shape is served by an index of the
 * Recipes migration: posts_created_idx (new), posts_popular_idx (popular),
 * posts_author_created_idx (author), posts_complexity_created_idx (complexity),
 * posts_search_idx (q) and post_ingredients_ingredient_post_idx (ingredient).
 */
export function buildPostListQuery(filters: PostListFilters, limit: number, after?: KeysetPosition, coverSql = 'NULL'): SqlQuery {
  const params: unknown[] = [];
  const bind = (value: unknown, cast = ''): string => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const where: string[] = [];
  if (filters.complexity) where.push(`p.complexity = ${bind(filters.complexity)}`);
  if (filters.authorId) where.push(`p.author_id = ${bind(filters.authorId, '::uuid')}`);
  if (filters.q) where.push(`p.search @@ websearch_to_tsquery('english', ${bind(filters.q)})`);
  // The feed, fanned out on read: newest posts whose author the caller follows (a primary-key probe
  // of follows per candidate), or, for a caller following few, their authors' posts through
  // posts_author_created_idx; the planner picks by its estimate of the caller's follows.
  if (filters.followedBy) where.push(`EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${bind(filters.followedBy, '::uuid')} AND f.followee_id = p.author_id)`);
  for (const ingredientId of filters.ingredientIds ?? []) {
    where.push(`EXISTS (SELECT 1 FROM post_ingredients pi WHERE pi.post_id = p.id AND pi.ingredient_id = ${bind(ingredientId, '::int')})`);
  }
  const popular = filters.sort === 'popular';
  if (after) {
    where.push(
      popular
        ? `(p.likes, p.id) < (${bind(after.key, '::int')}, ${bind(after.id, '::uuid')})`
        : `(p.created_at, p.id) < (${bind(after.key, '::timestamptz')}, ${bind(after.id, '::uuid')})`,
    );
  }
  const order = popular ? 'p.likes DESC, p.id DESC' : 'p.created_at DESC, p.id DESC';
  const page = `SELECT ${postColumns(false)} FROM posts p JOIN users u ON u.id = p.author_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} ${writtenLimit(limit)}`;
  // createdAt is the fixed-width ISO text of created_at, so it sorts the same.
  const sql = summaryItems(page, coverSql, popular ? 'page.likes DESC, page.id DESC' : 'page."createdAt" DESC, page.id DESC');
  // Newest, most liked and an author's posts: one index serves every value. A word, an ingredient
  // or a follower list can match almost every post or almost none, and the best plan differs.
  const planStable = !filters.q && !filters.followedBy && !filters.ingredientIds?.length;
  return { sql, params, planStable };
}
