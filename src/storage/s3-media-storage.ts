import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { MediaStorage } from './media-storage';

export interface S3Settings {
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, …); unset = AWS. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Where clients fetch files (a CDN in front of the bucket); unset = the bucket's own URL. */
  publicBaseUrl: string;
}

const CONTENT_TYPES: Record<string, string> = { webp: 'image/webp' };

/** Any S3-compatible object store. Writes stream in parts (lib-storage's Upload), never whole in memory. */
export class S3MediaStorage implements MediaStorage {
  constructor(
    private readonly settings: S3Settings,
    private readonly client: S3Client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: Boolean(settings.endpoint),
      credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    }),
  ) {}

  async write(key: string, source: Readable | Buffer): Promise<number> {
    let bytes = 0;
    const body = Buffer.isBuffer(source) ? source : source.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const extension = key.split('.').pop() ?? '';
    // Files never change once written (a new photo gets a new id): cacheable for a year.
    await new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: body, ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', CacheControl: 'public, max-age=31536000, immutable' },
    }).done();
    return Buffer.isBuffer(source) ? source.length : bytes;
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    if (!object.Body) throw new Error(`empty object ${key}`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async remove(keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  /** Object stores have no folders: objects are grouped by the path segment after `prefix`, each with its newest object's time. */
  async listFolders(prefix: string): Promise<{ name: string; modifiedAt: Date }[]> {
    const newest = new Map<string, Date>();
    for await (const object of this.objects(`${prefix}/`)) {
      const name = object.key.slice(prefix.length + 1).split('/')[0];
      if (!name || !object.key.slice(prefix.length + 1).includes('/')) continue;
      const known = newest.get(name);
      if (!known || object.modifiedAt > known) newest.set(name, object.modifiedAt);
    }
    return [...newest].map(([name, modifiedAt]) => ({ name, modifiedAt }));
  }

  async removeFolder(key: string): Promise<void> {
    const keys: string[] = [];
    for await (const object of this.objects(`${key}/`)) keys.push(object.key);
    await this.remove(keys);
  }

  urlFor(key: string): string {
    return `${this.settings.publicBaseUrl}/${key}`;
  }

  private async *objects(prefix: string): AsyncGenerator<{ key: string; modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) yield { key: object.Key, modifiedAt: object.LastModified ?? new Date(0) };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
