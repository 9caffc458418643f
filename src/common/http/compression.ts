import { negotiate } from '@fastify/accept-negotiator';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Answers smaller than this go as they are: they fit in one TCP segment (~1 460 bytes) either way,
 * so compressing saves no packet, and measured, a compressed 1 KB hit cost ~20 µs more CPU to send
 * than the identity one (Node writes a Buffer body apart from its headers).
 */
export const COMPRESS_THRESHOLD_BYTES = 1400;
/**
 * Brotli quality for answers compressed per request or once per cache entry: 11 (the default)
 * costs ~20× the CPU of 5 for a few per cent smaller JSON.
 */
export const BROTLI_QUALITY = 5;

export type Encoding = 'br' | 'gzip';
export type Precompressed = Partial<Record<Encoding, Buffer>>;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const compressors: Record<Encoding, (body: string | Buffer) => Promise<Buffer>> = {
  br: (body) => brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }),
  gzip: (body) => gzipAsync(body),
};

/** The body in these encodings (default: all), once; nothing for bodies under the threshold. */
export async function precompress(body: string | Buffer, encodings: readonly Encoding[] = ['br', 'gzip']): Promise<Precompressed> {
  if (Buffer.byteLength(body) < COMPRESS_THRESHOLD_BYTES) return {};
  const compressed = await Promise.all(encodings.map((encoding) => compressors[encoding](body)));
  return Object.fromEntries(encodings.map((encoding, i) => [encoding, compressed[i]]));
}

/** The encoding to send for this Accept-Encoding, among those available (q-values honoured). */
export function chooseEncoding(acceptEncoding: string | undefined, available: Precompressed | 'any'): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const offered = (['br', 'gzip'] as const).filter((encoding) => available === 'any' || available[encoding]);
  if (offered.length === 0) return undefined;
  const chosen = negotiate(acceptEncoding, [...offered, 'identity']);
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined;
}
