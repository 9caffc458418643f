import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { KeysetPosition } from '../common/pagination/cursor';
import { returningRows } from '../database/returning-rows';
import { prepared } from '../database/prepared-statements';
import { inTransaction } from '../database/transaction';
import type { Complexity } from './entities/post.entity';
import { buildPostListQuery, type PostListFilters, postColumns, summaryItems } from './post-list.query';

export interface PostRow {
  id: string;
  title: string;
  body?: string;
  complexity: Complexity;
  cookingTimeMinutes: number | null;
  servings: number | null;
  likes: number;
  commentsCount: number;
  createdAt: string;
  updatedAt: string;
  authorId: string;
  authorFirstName: string;
  authorLastName: string;
  /** In display order, as the API shows them (see post-list.query). */
  ingredients: { id: number; name: string; quantity: string | null }[];
  /** The detail's ready photos, as the photos feature's SQL gave them (see PostPhotosSource). */
  photos?: unknown;
}

/** A post in a list: its summary item as JSON text built by PostgreSQL (see summaryItems), and its cursor keys. */
export interface PostSummaryRow {
  id: string;
  likes: number;
  /** Microseconds, for the cursor. */
  createdAt: string;
  json: string;
  /** The cover, as the photos feature's SQL gave it (see PostPhotosSource). */
  cover: unknown;
}

export interface PostFields {
  title: string;
  body: string;
  complexity: Complexity;
  cookingTimeMinutes: number | null;
  servings: number | null;
}

@Injectable()
export class PostsRepository {
  /** Statements that embed the photos feature's SQL expressions, built and marked once per expression. */
  private readonly withPhotos = new Map<string, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** `coverSql`: an SQL expression over `page.id` (see summaryItems). */
  findPage(filters: PostListFilters, limit: number, after: KeysetPosition | undefined, coverSql: string): Promise<PostSummaryRow[]> {
    const { sql, params, planStable } = buildPostListQuery(filters, limit, after, coverSql);
    return this.dataSource.query(planStable ? prepared(sql) : sql, params);
  }

  /** The post with its body and `photosSql` (an expression over `p.id`) as `photos`. */
  async findById(id: string, photosSql: string, manager: EntityManager = this.dataSource.manager): Promise<PostRow | null> {
    const sql = this.statement(`byId ${photosSql}`, () => `SELECT ${postColumns(true)}, ${photosSql} AS photos FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1`);
    const rows: PostRow[] = await manager.query(sql, [id]);
    return rows[0] ?? null;
  }

  /** Summaries of these posts, in no particular order; absent ids are left out. */
  findSummariesByIds(ids: string[], coverSql: string): Promise<PostSummaryRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const sql = this.statement(`byIds ${coverSql}`, () => summaryItems(`SELECT ${postColumns(false)} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ANY($1::uuid[])`, coverSql));
    return this.dataSource.query(sql, [ids]);
  }

  private statement(key: string, build: () => string): string {
    let sql = this.withPhotos.get(key);
    if (sql === undefined) {
      sql = prepared(build());
      this.withPhotos.set(key, sql);
    }
    return sql;
  }

  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM posts WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** The author of the post, locking it for the rest of the transaction; null when absent. */
  async lockAuthor(manager: EntityManager, id: string): Promise<string | null> {
    const rows: { author_id: string }[] = await manager.query(`SELECT author_id FROM posts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0]?.author_id ?? null;
  }

  async insert(manager: EntityManager, authorId: string, fields: PostFields): Promise<string> {
    const rows = returningRows<{ id: string }>(
      await manager.query(
        `INSERT INTO posts (author_id, title, body, complexity, cooking_time_minutes, servings)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [authorId, fields.title, fields.body, fields.complexity, fields.cookingTimeMinutes, fields.servings],
      ),
    );
    return rows[0].id;
  }

  async update(manager: EntityManager, id: string, fields: Partial<PostFields>): Promise<void> {
    const columns: Record<keyof PostFields, string> = {
      title: 'title',
      body: 'body',
      complexity: 'complexity',
      cookingTimeMinutes: 'cooking_time_minutes',
      servings: 'servings',
    };
    const entries = (Object.keys(columns) as (keyof PostFields)[]).filter((key) => fields[key] !== undefined);
    const sets = entries.map((key, i) => `${columns[key]} = $${i + 2}`);
    await manager.query(`UPDATE posts SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...entries.map((key) => fields[key])]);
  }

  /** Replaces the post's ingredient lines with these, in this order. */
  async replaceIngredientLines(manager: EntityManager, postId: string, lines: { ingredientId: number; quantity: string | null }[]): Promise<void> {
    await manager.query(`DELETE FROM post_ingredients WHERE post_id = $1`, [postId]);
    if (lines.length === 0) return;
    await manager.query(
      `INSERT INTO post_ingredients (post_id, ingredient_id, position, quantity)
       SELECT $1, t.ingredient_id, t.position, t.quantity
         FROM unnest($2::int[], $3::smallint[], $4::varchar[]) AS t(ingredient_id, position, quantity)`,
      [postId, lines.map((l) => l.ingredientId), lines.map((_, i) => i), lines.map((l) => l.quantity)],
    );
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM posts WHERE id = $1`, [id]);
  }

  /**
   * Adds or removes the like (idempotently): the post's like count after and whether this call
   * changed anything, or null for no such post. The post row is locked first, so a like and the
   * post's deletion queue on one lock (no deadlock).
   */
  setLike(postId: string, userId: string, liked: boolean): Promise<{ likes: number; changed: boolean } | null> {
    return this.transaction(async (manager) => {
      const exists: unknown[] = await manager.query(`SELECT 1 FROM posts WHERE id = $1 FOR NO KEY UPDATE`, [postId]);
      if (exists.length === 0) return null;
      const changed: unknown = liked
        ? await manager.query(`INSERT INTO likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [postId, userId])
        : await manager.query(`DELETE FROM likes WHERE post_id = $1 AND user_id = $2 RETURNING 1`, [postId, userId]);
      const rows: { likes: number }[] = await manager.query(`SELECT likes FROM posts WHERE id = $1`, [postId]);
      return { likes: rows[0].likes, changed: returningRows(changed).length > 0 };
    });
  }
}
