/**
 * The image format of an upload, decided by its first bytes, never by its name or declared type.
 * Four signatures, so no dependency: file-type, the usual library, is ESM-only and reads whole
 * streams through web streams, more machinery than these twelve bytes need.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif';

/** Bytes needed to decide. */
export const SNIFF_BYTES = 12;

export function sniffImageFormat(head: Buffer): ImageFormat | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  // ISO-BMFF with an AVIF brand (sharp's libvips decodes AVIF; HEIC's HEVC decoder is not in its prebuilt binaries).
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && ['avif', 'avis'].includes(head.toString('latin1', 8, 12))) return 'avif';
  return null;
}
