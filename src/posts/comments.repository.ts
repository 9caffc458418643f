import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoMicros, type KeysetPosition } from '../common/pagination/cursor';
import { inTransaction } from '../database/transaction';

export interface CommentRow {
  id: string;
  body: string;
  createdAt: string;
  authorId: string;
  authorFirstName: string;
  authorLastName: string;
}

const COLUMNS = `c.id, c.body, ${isoMicros('c.created_at')} AS "createdAt",
  u.id AS "authorId", u.first_name AS "authorFirstName", u.last_name AS "authorLastName"`;

@Injectable()
export class CommentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Oldest first, by keyset on (created_at, id): comments_post_created_idx. */
  findPage(postId: string, limit: number, after?: KeysetPosition): Promise<CommentRow[]> {
    const keyset = after ? 'AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)' : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.post_id = $1 ${keyset}
        ORDER BY c.created_at, c.id LIMIT $2`,
      after ? [postId, limit, after.key, after.id] : [postId, limit],
    );
  }

  /**
   * The new comment, or null when the post does not exist. The post row is locked first (the
   * comment count trigger updates it), so a comment and the post's deletion cannot deadlock.
   */
  insert(postId: string, authorId: string, body: string): Promise<CommentRow | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const post: unknown[] = await manager.query(`SELECT 1 FROM posts WHERE id = $1 FOR NO KEY UPDATE`, [postId]);
      if (post.length === 0) return null;
      const rows: CommentRow[] = await manager.query(
        `WITH c AS (INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, $3) RETURNING *)
         SELECT ${COLUMNS} FROM c JOIN users u ON u.id = c.author_id`,
        [postId, authorId, body],
      );
      return rows[0];
    });
  }

  async findOne(postId: string, commentId: string): Promise<CommentRow | null> {
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1 AND c.post_id = $2`,
      [commentId, postId],
    );
    return rows[0] ?? null;
  }

  /** Who may delete the comment (its author and the post's), or null when it is not on that post. */
  async findOwners(postId: string, commentId: string): Promise<{ commentAuthorId: string; postAuthorId: string } | null> {
    const rows: { commentAuthorId: string; postAuthorId: string }[] = await this.dataSource.query(
      `SELECT c.author_id AS "commentAuthorId", p.author_id AS "postAuthorId"
         FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = $1 AND c.post_id = $2`,
      [commentId, postId],
    );
    return rows[0] ?? null;
  }

  async delete(commentId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM comments WHERE id = $1`, [commentId]);
  }

  async postExists(postId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM posts WHERE id = $1`, [postId]);
    return rows.length > 0;
  }
}
