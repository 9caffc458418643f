import type { EntityManager } from 'typeorm';
import type { PhotoDto } from '../photos/dto/photo.dto';

/**
 * What posts show of their photos, answered by the photos feature (which depends on posts, so
 * posts reach it through this token rather than an import of its module).
 */
export interface PostPhotosSource {
  /**
   * The post's ready photos, in upload order; inside a transaction pass its manager, so the read
   * uses the transaction's connection instead of waiting for a second one from the pool.
   */
  readyOf(postId: string, manager?: EntityManager): Promise<PhotoDto[]>;
  /** Each post's first ready photo's thumb URL; posts without one are absent. */
  coversOf(postIds: string[]): Promise<Map<string, string>>;
}

export const POST_PHOTOS = Symbol('PostPhotosSource');
