import type { RawJson } from '../common/json/raw-json';
import { rawWithSlot, viewerSlot } from '../common/viewer/viewer-slots';
import type { PhotoDto } from '../photos/dto/photo.dto';
import type { CommentRow } from './comments.repository';
import type { CommentDto, PostDto, PostSummaryDto } from './dto/post.dto';
import type { PostRow, PostSummaryRow } from './posts.repository';

/**
 * Explicit row → response mapping: only these fields ever leave the server. Posts carry a viewer
 * slot: answers to a signed-in caller get `liked` and `saved` filled in (see common/viewer).
 */
export function toPostSummary(row: PostSummaryRow, cover: string | null): RawJson<PostSummaryDto> {
  // PostgreSQL built every field but the cover (another feature's): it goes last.
  return rawWithSlot<PostSummaryDto>(`${row.json.slice(0, -1)},"cover":${JSON.stringify(cover)}}`, 'post', row.id);
}

export function toPostDto(row: PostRow, photos: PhotoDto[]): PostDto {
  const cover = photos[0]?.variants?.thumb ?? null;
  return viewerSlot<PostDto>({ ...summaryFields(row, cover), body: row.body ?? '', photos }, 'post', row.id);
}

function summaryFields(row: PostRow, cover: string | null): Omit<PostDto, 'body' | 'photos'> {
  return {
    id: row.id,
    title: row.title,
    complexity: row.complexity,
    cookingTimeMinutes: row.cookingTimeMinutes,
    servings: row.servings,
    author: { id: row.authorId, firstName: row.authorFirstName, lastName: row.authorLastName },
    likes: row.likes,
    commentsCount: row.commentsCount,
    ingredients: row.ingredients,
    cover,
    createdAt: toIsoMillis(row.createdAt),
    updatedAt: toIsoMillis(row.updatedAt),
  };
}

export function toCommentDto(row: CommentRow): CommentDto {
  return {
    id: row.id,
    body: row.body,
    author: { id: row.authorId, firstName: row.authorFirstName, lastName: row.authorLastName },
    createdAt: toIsoMillis(row.createdAt),
  };
}

const MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/**
 * Microsecond timestamps (kept for cursors) shown with milliseconds, like every other date: the
 * SQL's fixed `…SS.uuuuuuZ` form is cut (as Date would truncate it) without parsing a Date, a
 * measurable share of an uncached 100-post page.
 */
function toIsoMillis(micros: string): string {
  return MICROS.test(micros) ? `${micros.slice(0, 23)}Z` : new Date(micros).toISOString();
}
