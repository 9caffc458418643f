import type { PhotoDto } from '../photos/dto/photo.dto';

/**
 * What posts show of their photos, answered by the photos feature (which depends on posts, so
 * posts reach it through this token rather than an import of its module).
 */
export interface PostPhotosSource {
  /**
   * The post's ready photos, in upload order, read in the post's own statement (one round trip
   * instead of two, measured on the uncached detail): `readySql` is an SQL expression for them,
   * given the SQL expression of the post's id; `readyFrom` maps its value.
   */
  readySql(postIdSql: string): string;
  readyFrom(value: unknown): PhotoDto[];
  /** Each post's first ready photo's thumb URL; posts without one are absent. */
  coversOf(postIds: string[]): Promise<Map<string, string>>;
}

export const POST_PHOTOS = Symbol('PostPhotosSource');
