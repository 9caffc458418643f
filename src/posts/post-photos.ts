import type { PhotoDto } from '../photos/dto/photo.dto';

/**
 * What posts show of their photos, answered by the photos feature (which depends on posts, so
 * posts reach it through this token rather than an import of its module).
 */
export interface PostPhotosSource {
  /**
   * The post's ready photos, in upload order, read in the post's own statement (one round trip
   * instead of two: on loopback, a query's write alone was ~12 % of an uncached detail's CPU): `readySql` is an SQL expression for them,
   * given the SQL expression of the post's id; `readyFrom` maps its value.
   */
  readySql(postIdSql: string): string;
  readyFrom(value: unknown): PhotoDto[];
  /** Likewise for lists: an SQL expression for the post's cover (its first ready photo), and its thumb URL (null: none). */
  coverSql(postIdSql: string): string;
  coverFrom(value: unknown): string | null;
}

export const POST_PHOTOS = Symbol('PostPhotosSource');
