import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type {} from '@fastify/multipart'; // request.file() and request.isMultipart()
import type { Caller } from '../auth/sessions/sessions.service';
import { DomainEvents } from '../common/events/domain-events';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { PostsService } from '../posts/posts.service';
import { MEDIA_STORAGE, type MediaStorage } from '../storage/media-storage';
import type { PhotoDto, PhotoListDto } from './dto/photo.dto';
import { SNIFF_BYTES, sniffImageFormat } from './image-format';
import { PhotoMetrics } from './photo-metrics';
import { originalKey, photoFolder, toPhotoDto, variantKey } from './photo.mapper';
import { ImageRejected, renderPhoto, VARIANTS, type VariantName } from './photo-renderer';
import { PhotoChanged } from './photos.events';
import { type PhotoRow, PhotosRepository } from './photos.repository';

export const PROCESS_PHOTO = 'photo.process';
export const SWEEP_PHOTOS = 'photo.sweep';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Files younger than this are never swept: their upload may not have committed its row yet. */
const SWEEP_GRACE_MS = 10 * 60 * 1000;


@Injectable()
export class PhotosService {
  private readonly logger = new Logger('PhotoWorker');

  constructor(
    private readonly photos: PhotosRepository,
    private readonly posts: PostsService,
    private readonly jobs: JobQueue,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly metrics: PhotoMetrics,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
  ) {
    // Retried with back-off (2 s, 4 s, … 10 times) when storage or the database fails; a job whose
    // worker died is taken up again after JOB_TIMEOUT.
    jobs.define({ name: PROCESS_PHOTO, retryLimit: 10, retryDelay: 2, expireInSeconds: config.jobs.timeoutSeconds });
    jobs.define({ name: SWEEP_PHOTOS, retryLimit: 3, retryDelay: 30, expireInSeconds: config.jobs.timeoutSeconds });
  }

  /**
   * Streams the upload to storage (never whole in memory), then records the photo and its job in
   * one transaction and answers: the worker does the rest. Ownership and the photo count are
   * checked before the file is read and again, under the post's lock, before the row is written.
   */
  async upload(caller: Caller, postId: string, request: FastifyRequest): Promise<PhotoDto> {
    if (!request.isMultipart()) throw new UnsupportedMediaTypeException('Send the photo as multipart/form-data with one part named `file`.');
    await this.posts.checkOwner(caller, postId);
    await this.requireRoom(postId);
    const part = await request.file({ limits: { fileSize: this.config.photos.maxBytes, files: 1, parts: 1 } });
    if (!part || part.type !== 'file' || part.fieldname !== 'file') throw new BadRequestException('Send one multipart part named `file`.');
    const { head, rest } = await readHead(part.file, SNIFF_BYTES);
    const format = sniffImageFormat(head);
    if (!format) {
      part.file.resume();
      throw new UnsupportedMediaTypeException('The file is not a JPEG, PNG, WebP or AVIF image (decided by its content, not its name).');
    }
    const id = randomUUID();
    try {
      await this.storage.write(originalKey(id), rest);
    } catch (error) {
      await this.storage.remove([originalKey(id)]);
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw this.tooLarge();
      throw error;
    }
    if (part.file.truncated) {
      await this.storage.remove([originalKey(id)]);
      throw this.tooLarge();
    }
    let row: PhotoRow;
    try {
      row = await this.posts.withOwnedPost(caller, postId, async (manager) => {
        await this.requireRoom(postId, manager);
        const inserted = await this.photos.insert(manager, id, postId, format);
        await this.jobs.send(manager, PROCESS_PHOTO, { photoId: id }, id);
        return inserted;
      });
    } catch (error) {
      await this.storage.remove([originalKey(id)]);
      throw error;
    }
    this.jobs.nudge(PROCESS_PHOTO);
    await this.events.publish(new PhotoChanged(id, postId, false));
    return this.toDto(row);
  }

  async get(id: string): Promise<PhotoDto> {
    const row = await this.photos.findById(id);
    if (!row) throw new NotFoundException('No such photo.');
    return this.toDto(row);
  }

  async listForPost(postId: string): Promise<PhotoListDto> {
    if (!(await this.posts.exists(postId))) throw new NotFoundException('No such post.');
    return { items: (await this.photos.findForPost(postId)).map((row) => this.toDto(row)), nextCursor: null };
  }

  /** The post's author only; the files go too. */
  async delete(caller: Caller, id: string): Promise<void> {
    const row = await this.photos.findById(id);
    if (!row) throw new NotFoundException('No such photo.');
    // Under the post's lock, so of concurrent deletions exactly one finds the row.
    const deleted = await this.posts.withOwnedPost(caller, row.postId, (manager) => this.photos.delete(manager, id));
    if (!deleted) throw new NotFoundException('No such photo.');
    await this.removeFiles(id);
    await this.events.publish(new PhotoChanged(id, row.postId, row.status === 'ready'));
  }

  /**
   * The job: renders the variants and marks the photo ready, or failed with a code when the image
   * cannot be rendered. Idempotent by photo id: a photo already ready or failed (or deleted) is
   * left alone, and a rerun after a crash writes the same files. Storage or database failures
   * throw, and the queue retries with back-off.
   */
  async process(photoId: string): Promise<void> {
    const started = Date.now();
    const photo = await this.photos.claim(photoId);
    if (!photo) return;
    const original = await this.storage.read(originalKey(photoId));
    let done: PhotoRow | null;
    try {
      const rendered = await renderPhoto(original, this.config.photos.maxPixels);
      for (const name of Object.keys(VARIANTS) as VariantName[]) await this.storage.write(variantKey(photoId, name), rendered.variants[name]);
      done = await this.photos.markReady(photoId, rendered.width, rendered.height);
    } catch (error) {
      if (!(error instanceof ImageRejected)) throw error;
      done = await this.photos.markFailed(photoId, error.code, error.message);
    }
    // Deleted while rendering: the deletion may have removed the folder before the variants landed.
    if (!done) await this.removeFiles(photoId);
    this.logger.log(`photo ${photoId}: ${done?.status ?? 'gone'} in ${Date.now() - started} ms${done?.errorCode ? ` (${done.errorCode})` : ''}`);
    if (done?.status === 'ready' || done?.status === 'failed') this.metrics.record(done.status, (Date.now() - started) / 1000, done.errorCode ?? undefined);
    if (done) await this.events.publish(new PhotoChanged(photoId, done.postId, done.status === 'ready'));
  }

  /**
   * Asks a worker to sweep orphaned files (after a post's or an account's deletion cascaded to photo
   * rows): now, and once more after the grace a sweep gives young folders (uploads in flight), so
   * folders orphaned just now go too. Singleton keys keep one of each waiting.
   */
  async requestSweep(): Promise<void> {
    await this.jobs.sendAlone(SWEEP_PHOTOS, {}, SWEEP_PHOTOS);
    await this.jobs.sendAlone(SWEEP_PHOTOS, {}, `${SWEEP_PHOTOS}.late`, SWEEP_GRACE_MS / 1000 + 60);
  }

  /**
   * Removes the files of photos whose row is gone (a deleted post or account cascades to the rows,
   * not to storage), leaving alone folders younger than `graceMs`. Returns the photo ids swept.
   */
  async sweep(graceMs = SWEEP_GRACE_MS): Promise<string[]> {
    const cutoff = Date.now() - graceMs;
    const old = (await this.storage.listFolders('photos')).filter((folder) => UUID.test(folder.name) && folder.modifiedAt.getTime() <= cutoff);
    const alive = new Set(await this.photos.existingIds(old.map((folder) => folder.name)));
    const orphans = old.map((folder) => folder.name).filter((id) => !alive.has(id));
    for (const id of orphans) await this.storage.removeFolder(photoFolder(id));
    if (orphans.length > 0) this.logger.log(`swept the files of ${orphans.length} deleted photos`);
    return orphans;
  }

  /**
   * The row is gone (committed), so the answer stands whatever happens to the files: a folder that
   * cannot be removed now (storage down) is left to the sweeper rather than failing the request.
   */
  private async removeFiles(photoId: string): Promise<void> {
    try {
      await this.storage.removeFolder(photoFolder(photoId));
    } catch (error) {
      this.logger.warn(`photo ${photoId}: files not removed (${(error as Error).message}); the sweeper will retry`);
      await this.requestSweep();
    }
  }

  private async requireRoom(postId: string, manager?: Parameters<PhotosRepository['countForPost']>[1]): Promise<void> {
    if ((await this.photos.countForPost(postId, manager)) >= this.config.photos.perPost) {
      throw new ConflictException(`A recipe has at most ${this.config.photos.perPost} photos; delete one first.`);
    }
  }

  private tooLarge(): PayloadTooLargeException {
    return new PayloadTooLargeException(`The photo is larger than ${this.config.photos.maxBytes} bytes.`);
  }

  toDto(row: PhotoRow): PhotoDto {
    return toPhotoDto(row, this.storage);
  }

  /** For the post's detail (see PostPhotosSource): its ready photos in upload order, in its own statement. */
  readySql(postIdSql: string): string {
    return this.photos.readyJsonSql(postIdSql);
  }

  readyFrom(value: unknown): PhotoDto[] {
    const rows = value as (Omit<PhotoRow, 'createdAt' | 'processedAt'> & { createdAt: string; processedAt: string | null })[];
    return rows.map((row) => this.toDto({ ...row, createdAt: new Date(row.createdAt), processedAt: row.processedAt === null ? null : new Date(row.processedAt) }));
  }

  /** For lists (see PostPhotosSource): the id of the post's first ready photo, in the list's own statement. */
  coverSql(postIdSql: string): string {
    return this.photos.coverIdSql(postIdSql);
  }

  coverFrom(value: unknown): string | null {
    return typeof value === 'string' ? this.storage.urlFor(variantKey(value, 'thumb')) : null;
  }

}

/** The first `bytes` of a stream, and a stream of everything (those bytes included). */
async function readHead(source: Readable, bytes: number): Promise<{ head: Buffer; rest: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, rest: Readable.from(all()) };
}
