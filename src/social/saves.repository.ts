import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoMicros, type KeysetPosition } from '../common/pagination/cursor';
import { returningRows } from '../database/returning-rows';

export interface SavedRow {
  postId: string;
  cursorKey: string;
}

@Injectable()
export class SavesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Saves or unsaves, idempotently; true when this call changed anything. Saving a post or by an
   * account deleted meanwhile fails on its foreign key (the service answers 404 / 401).
   */
  async set(userId: string, postId: string, saved: boolean): Promise<boolean> {
    const result: unknown = saved
      ? await this.dataSource.query(`INSERT INTO saves (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [userId, postId])
      : await this.dataSource.query(`DELETE FROM saves WHERE user_id = $1 AND post_id = $2 RETURNING 1`, [userId, postId]);
    return returningRows(result).length > 0;
  }

  /** The user's saved posts, most recently saved first (saves_user_created_idx). */
  findPage(userId: string, limit: number, after?: KeysetPosition): Promise<SavedRow[]> {
    const keyset = after ? 'AND (s.created_at, s.post_id) < ($3::timestamptz, $4::uuid)' : '';
    return this.dataSource.query(
      `SELECT s.post_id AS "postId", ${isoMicros('s.created_at')} AS "cursorKey" FROM saves s
        WHERE s.user_id = $1 ${keyset}
        ORDER BY s.created_at DESC, s.post_id DESC LIMIT $2`,
      after ? [userId, limit, after.key, after.id] : [userId, limit],
    );
  }
}
