import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isoMicros, type KeysetPosition } from '../common/pagination/cursor';
import { returningRows } from '../database/returning-rows';

/** One user in a followers or following list, with the time of the follow (the keyset key). */
export interface FollowRow {
  userId: string;
  cursorKey: string;
}

@Injectable()
export class FollowsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Follows or unfollows; true when this call changed anything (idempotent otherwise). */
  async set(manager: EntityManager, followerId: string, followeeId: string, following: boolean): Promise<boolean> {
    const result: unknown = following
      ? await manager.query(`INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [followerId, followeeId])
      : await manager.query(`DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING 1`, [followerId, followeeId]);
    return returningRows(result).length > 0;
  }

  /** Who follows `userId`, newest follow first (follows_followee_created_idx). */
  findFollowers(userId: string, limit: number, after?: KeysetPosition): Promise<FollowRow[]> {
    return this.page('followee_id', 'follower_id', userId, limit, after);
  }

  /** Whom `userId` follows, newest follow first (follows_follower_created_idx). */
  findFollowing(userId: string, limit: number, after?: KeysetPosition): Promise<FollowRow[]> {
    return this.page('follower_id', 'followee_id', userId, limit, after);
  }

  private page(owner: 'followee_id' | 'follower_id', other: 'follower_id' | 'followee_id', userId: string, limit: number, after?: KeysetPosition): Promise<FollowRow[]> {
    const keyset = after ? `AND (f.created_at, f.${other}) < ($3::timestamptz, $4::uuid)` : '';
    return this.dataSource.query(
      `SELECT f.${other} AS "userId", ${isoMicros('f.created_at')} AS "cursorKey" FROM follows f
        WHERE f.${owner} = $1 ${keyset}
        ORDER BY f.created_at DESC, f.${other} DESC LIMIT $2`,
      after ? [userId, limit, after.key, after.id] : [userId, limit],
    );
  }
}
