import type { Readable } from 'node:stream';

/** Where photo files live, behind one interface (local disk today). Keys are relative paths like `photos/<id>/thumb.webp`. */
export interface MediaStorage {
  /** Writes the whole stream under `key` (replacing what was there) and returns the bytes written. */
  write(key: string, source: Readable | Buffer): Promise<number>;
  read(key: string): Promise<Buffer>;
  /** Removes these keys; missing ones are fine. */
  remove(keys: string[]): Promise<void>;
  /** The folders directly under `prefix` (e.g. one a photo under `photos`), with when each last changed. */
  listFolders(prefix: string): Promise<{ name: string; modifiedAt: Date }[]>;
  /** Removes a folder and everything in it. */
  removeFolder(key: string): Promise<void>;
  /** The public URL clients fetch the file from. */
  urlFor(key: string): string;
}

export const MEDIA_STORAGE = Symbol('MediaStorage');
