import type { MediaStorage } from '../storage/media-storage';
import type { PhotoDto } from './dto/photo.dto';
import type { VariantName } from './photo-renderer';
import type { PhotoRow } from './photos.repository';

/** Everything stored for a photo lives in its folder: the original and its variants. */
export const photoFolder = (id: string) => `photos/${id}`;
export const originalKey = (id: string) => `${photoFolder(id)}/original`;
export const variantKey = (id: string, name: VariantName) => `${photoFolder(id)}/${name}.webp`;

/** Explicit row → response mapping; variant URLs only once the photo is ready. */
export function toPhotoDto(row: PhotoRow, storage: MediaStorage): PhotoDto {
  const ready = row.status === 'ready';
  return {
    id: row.id,
    postId: row.postId,
    status: row.status,
    ...(row.errorCode ? { error: { code: row.errorCode, message: row.errorMessage ?? '' } } : {}),
    ...(ready ? { width: row.width!, height: row.height! } : {}),
    ...(ready ? { variants: { thumb: storage.urlFor(variantKey(row.id, 'thumb')), large: storage.urlFor(variantKey(row.id, 'large')) } } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.processedAt ? { processedAt: row.processedAt.toISOString() } : {}),
  };
}
