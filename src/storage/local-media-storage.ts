import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { MediaStorage } from './media-storage';

/** Files under a directory, served by the API at `/media/...` (see registerMediaRoute). */
export class LocalMediaStorage implements MediaStorage {
  constructor(
    private readonly root: string,
    /** Public URL of the root: APP_URL/media (served by registerMediaRoute) or MEDIA_BASE_URL. */
    private readonly baseUrl: string,
  ) {}

  async write(key: string, source: Readable | Buffer): Promise<number> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    // Written beside the target, then renamed: a reader never sees half a file.
    const temporary = `${target}.${randomUUID()}.part`;
    let bytes = 0;
    const stream = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(stream, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return bytes;
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async remove(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
  }

  async listFolders(prefix: string): Promise<{ name: string; modifiedAt: Date }[]> {
    const base = this.pathOf(prefix);
    const entries = await readdir(base, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const folders = entries.filter((entry) => entry.isDirectory());
    return Promise.all(folders.map(async (entry) => ({ name: entry.name, modifiedAt: (await stat(join(base, entry.name))).mtime })));
  }

  async removeFolder(key: string): Promise<void> {
    // A worker may still be writing a variant into the folder: retry the ENOTEMPTY that causes.
    await rm(this.pathOf(key), { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }

  urlFor(key: string): string {
    return `${this.baseUrl}/${key}`;
  }

  /** Keys are made by the service, never by clients; still, nothing may resolve outside the root. */
  private pathOf(key: string): string {
    const path = normalize(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key outside the media root: ${key}`);
    return path;
  }
}
