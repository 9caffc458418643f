import sharp from 'sharp';
import type { PhotoErrorCode } from './entities/photo.entity';

export const VARIANTS = { thumb: 320, large: 1280 } as const;
export type VariantName = keyof typeof VARIANTS;

export interface RenderedPhoto {
  /** Of the upright image. */
  width: number;
  height: number;
  variants: Record<VariantName, Buffer>;
}

/** An image the worker will never be able to render: the photo is marked failed with this code. */
export class ImageRejected extends Error {
  constructor(
    readonly code: PhotoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * WebP variants of an upload: turned upright by its EXIF orientation, never enlarged, with no
 * metadata at all (sharp writes none unless asked: GPS positions and camera details stay behind).
 * Images over `maxPixels` are refused before they are decoded (decompression bombs).
 */
export async function renderPhoto(input: Buffer, maxPixels: number): Promise<RenderedPhoto> {
  const open = () => sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated' });
  let metadata: sharp.Metadata;
  try {
    metadata = await open().metadata();
  } catch (error) {
    throw classify(error);
  }
  if (!metadata.width || !metadata.height) throw new ImageRejected('corrupt_image', 'The image has no dimensions.');
  if (metadata.width * metadata.height > maxPixels) {
    throw new ImageRejected('too_many_pixels', `The image has ${metadata.width} × ${metadata.height} pixels; the most is ${maxPixels.toLocaleString('en')}.`);
  }
  const upright = metadata.autoOrient ?? { width: metadata.width, height: metadata.height };
  try {
    const [thumb, large] = await Promise.all(
      (Object.keys(VARIANTS) as VariantName[]).map((name) => open().rotate().resize({ width: VARIANTS[name], withoutEnlargement: true }).webp({ quality: 80 }).toBuffer()),
    );
    return { width: upright.width, height: upright.height, variants: { thumb, large } };
  } catch (error) {
    throw classify(error);
  }
}

function classify(error: unknown): ImageRejected {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) return new ImageRejected('unsupported_format', 'The file is not an image in a supported format (JPEG, PNG, WebP or AVIF).');
  if (/pixel limit/i.test(message)) return new ImageRejected('too_many_pixels', 'The image has too many pixels.');
  return new ImageRejected('corrupt_image', 'The image is damaged or incomplete and cannot be decoded.');
}
