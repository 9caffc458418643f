import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { S3MediaStorage } from './s3-media-storage';

/**
 * The S3 driver's contract, against a mocked S3 client (aws-sdk-client-mock): no S3-compatible
 * server can run on the machines this project is built and tested on. What is checked is what
 * the driver asks S3 for; that S3 does it is the SDK's and the store's business.
 */
describe('S3MediaStorage (mocked S3 client)', () => {
  const s3 = mockClient(S3Client);
  const settings = { bucket: 'chopchop-media', region: 'eu-west-1', publicBaseUrl: 'https://cdn.example/media' };
  const storage = new S3MediaStorage(settings, new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } }));
  beforeEach(() => s3.reset());

  it('writes a buffer as one object, typed and cacheable for a year', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await storage.write('photos/p1/thumb.webp', Buffer.from('RIFF....WEBP'))).toBe(12);
    const [put] = s3.commandCalls(PutObjectCommand);
    expect(put.args[0].input).toMatchObject({
      Bucket: 'chopchop-media',
      Key: 'photos/p1/thumb.webp',
      ContentType: 'image/webp',
      CacheControl: 'public, max-age=31536000, immutable',
    });
  });

  it('streams an upload and counts its bytes', async () => {
    s3.on(PutObjectCommand).resolves({});
    const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(500, 2)];
    expect(await storage.write('photos/p1/original', Readable.from(chunks))).toBe(1500);
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({ Key: 'photos/p1/original', ContentType: 'application/octet-stream' });
  });

  it('reads an object back whole', async () => {
    s3.on(GetObjectCommand, { Bucket: 'chopchop-media', Key: 'photos/p1/original' }).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from('jpeg bytes')])) });
    expect((await storage.read('photos/p1/original')).toString()).toBe('jpeg bytes');
  });

  it('deletes in batches of at most 1 000 keys', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    await storage.remove(Array.from({ length: 2500 }, (_, i) => `photos/p${i}/original`));
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete?.Objects?.length)).toEqual([1000, 1000, 500]);
  });

  it('lists photo "folders" across pages, each with its newest object’s time, and removes one whole', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'photos/' })
      .resolvesOnce({
        Contents: [
          { Key: 'photos/a/original', LastModified: new Date('2026-01-01T00:00:00Z') },
          { Key: 'photos/a/thumb.webp', LastModified: new Date('2026-01-02T00:00:00Z') },
        ],
        IsTruncated: true,
        NextContinuationToken: 'next',
      })
      .resolvesOnce({ Contents: [{ Key: 'photos/b/original', LastModified: new Date('2026-01-03T00:00:00Z') }, { Key: 'photos/stray' }], IsTruncated: false });
    expect(await storage.listFolders('photos')).toEqual([
      { name: 'a', modifiedAt: new Date('2026-01-02T00:00:00Z') },
      { name: 'b', modifiedAt: new Date('2026-01-03T00:00:00Z') },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)[1].args[0].input.ContinuationToken).toBe('next');
    s3.on(ListObjectsV2Command, { Prefix: 'photos/a/' }).resolves({ Contents: [{ Key: 'photos/a/original' }, { Key: 'photos/a/thumb.webp' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    await storage.removeFolder('photos/a');
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects).toEqual([{ Key: 'photos/a/original' }, { Key: 'photos/a/thumb.webp' }]);
  });

  it('gives public URLs under MEDIA_BASE_URL, else the bucket’s own URL (path style for S3-compatible endpoints)', () => {
    expect(storage.urlFor('photos/p1/thumb.webp')).toBe('https://cdn.example/media/photos/p1/thumb.webp');
    const aws = AppConfig.fromEnv({ STORAGE_DRIVER: 's3', S3_BUCKET: 'media', S3_REGION: 'eu-west-1' }).storage;
    expect(aws.driver === 's3' && aws.s3.publicBaseUrl).toBe('https://media.s3.eu-west-1.amazonaws.com');
    const minio = AppConfig.fromEnv({ STORAGE_DRIVER: 's3', S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000' }).storage;
    expect(minio.driver === 's3' && minio.s3.publicBaseUrl).toBe('http://127.0.0.1:9000/media');
    expect(() => AppConfig.fromEnv({ STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET: required/);
  });
});
