import { viewerSlot } from '../common/viewer/viewer-slots';
import type { PhotoDto } from '../photos/dto/photo.dto';
import type { CommentRow } from './comments.repository';
import type { CommentDto, PostDto, PostIngredientDto, PostSummaryDto } from './dto/post.dto';
import type { IngredientLineRow, PostRow } from './posts.repository';

/**
 * Explicit row → response mapping: only these fields ever leave the server. Posts carry a viewer
 * slot: answers to a signed-in caller get `liked` and `saved` filled in (see common/viewer).
 */
export function toPostSummaryDto(row: PostRow, ingredients: PostIngredientDto[], cover: string | null): PostSummaryDto {
  return viewerSlot<PostSummaryDto>(summaryFields(row, ingredients, cover), 'post', row.id);
}

export function toPostDto(row: PostRow, ingredients: PostIngredientDto[], photos: PhotoDto[]): PostDto {
  const cover = photos[0]?.variants?.thumb ?? null;
  return viewerSlot<PostDto>({ ...summaryFields(row, ingredients, cover), body: row.body ?? '', photos }, 'post', row.id);
}

function summaryFields(row: PostRow, ingredients: PostIngredientDto[], cover: string | null): PostSummaryDto {
  return {
    id: row.id,
    title: row.title,
    complexity: row.complexity,
    cookingTimeMinutes: row.cookingTimeMinutes,
    servings: row.servings,
    author: { id: row.authorId, firstName: row.authorFirstName, lastName: row.authorLastName },
    likes: row.likes,
    commentsCount: row.commentsCount,
    ingredients,
    cover,
    createdAt: toIsoMillis(row.createdAt),
    updatedAt: toIsoMillis(row.updatedAt),
  };
}

export function groupIngredientLines(lines: IngredientLineRow[]): Map<string, PostIngredientDto[]> {
  const byPost = new Map<string, PostIngredientDto[]>();
  for (const line of lines) {
    const list = byPost.get(line.postId) ?? [];
    list.push({ id: line.id, name: line.name, quantity: line.quantity });
    byPost.set(line.postId, list);
  }
  return byPost;
}

export function toCommentDto(row: CommentRow): CommentDto {
  return {
    id: row.id,
    body: row.body,
    author: { id: row.authorId, firstName: row.authorFirstName, lastName: row.authorLastName },
    createdAt: toIsoMillis(row.createdAt),
  };
}

/** Microsecond timestamps (kept for cursors) shown with milliseconds, like every other date. */
function toIsoMillis(micros: string): string {
  return new Date(micros).toISOString();
}
