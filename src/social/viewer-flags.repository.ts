import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The caller's flags on one page, in one statement of primary-key probes. It reads likes (a posts
 * table) beside saves and follows on purpose: a page's flags are one lookup, not one per feature.
 */
@Injectable()
export class ViewerFlagsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For each post id: bit 0 liked, bit 1 saved; for each user id: bit 0 following. In the order given. */
  async flags(callerId: string, postIds: string[], userIds: string[]): Promise<{ posts: number[]; users: number[] }> {
    const [row]: { posts: number[] | null; users: number[] | null }[] = await this.dataSource.query(
      `SELECT
         (SELECT array_agg((EXISTS (SELECT 1 FROM likes l WHERE l.post_id = t.id AND l.user_id = $1))::int
                         + 2 * (EXISTS (SELECT 1 FROM saves s WHERE s.user_id = $1 AND s.post_id = t.id))::int ORDER BY t.n)
            FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)) AS posts,
         (SELECT array_agg((EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = t.id))::int ORDER BY t.n)
            FROM unnest($3::uuid[]) WITH ORDINALITY AS t(id, n)) AS users`,
      [callerId, postIds, userIds],
    );
    return { posts: row.posts ?? [], users: row.users ?? [] };
  }
}
