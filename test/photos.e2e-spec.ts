import sharp from 'sharp';
import { PhotosService } from '../src/photos/photos.service';
import { type Account, signUp } from './support/accounts';
import { eventually } from './support/eventually';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { expectProblem } from './support/problems';
import { sql } from './support/sql';
import { uploadPhoto } from './support/photos';
import { startTestApp, type TestApp } from './support/test-app';

/** Real image files, made here: none is committed. */
const images = {
  /** A phone photo: 64 × 32 pixels stored sideways (EXIF orientation 6), with GPS coordinates. */
  phoneJpeg: () =>
    sharp({ create: { width: 64, height: 32, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneCo', Model: 'Snapper 9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  png: () => sharp({ create: { width: 2000, height: 1000, channels: 4, background: { r: 0, g: 120, b: 0, alpha: 1 } } }).png().toBuffer(),
  webp: () => sharp({ create: { width: 100, height: 80, channels: 3, background: { r: 0, g: 0, b: 200 } } }).webp().toBuffer(),
};

describe('photos (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  let other: Account;
  beforeAll(async () => {
    t = await startTestApp({ env: { PHOTO_MAX_BYTES: String(2 * 1024 * 1024), PHOTOS_PER_POST: '3' } });
    [cook, other] = await Promise.all([signUp(t), signUp(t)]);
  });
  afterAll(() => t.close());

  const upload = (postId: string, file: Buffer, name = 'dish.jpg', who: Account = cook, type = 'image/jpeg'): Promise<ApiResponse> =>
    uploadPhoto(t, who, postId, file, name, type);

  /** The photo once a worker has finished with it (asserted by the caller). */
  const settled = async (id: string) =>
    (await eventually(() => t.http.get(`/api/v1/photos/${id}`), (photo) => ['ready', 'failed'].includes(photo.body?.status), 15_000)).body;

  async function fetchVariant(url: string): Promise<{ response: Response; bytes: Buffer }> {
    const response = await fetch(url.replace('http://app.test', t.http.baseUrl));
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('turns a phone JPEG upright, strips every piece of metadata, and serves WebP variants', async () => {
    const post = await createPost(t, cook);
    const accepted = await upload(post.id, await images.phoneJpeg());
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ postId: post.id, status: 'pending' });
    expect(accepted.headers.get('location')).toBe(`/api/v1/photos/${accepted.body.id}`);
    const photo = await settled(accepted.body.id);
    expect(photo).toMatchObject({ status: 'ready', width: 32, height: 64, variants: { thumb: expect.any(String), large: expect.any(String) } });
    for (const url of [photo.variants.thumb, photo.variants.large]) {
      const { response, bytes } = await fetchVariant(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 32, height: 64 }); // upright, never enlarged
      expect([meta.exif, meta.orientation, meta.icc, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
    }
    const list = await t.http.get(`/api/v1/posts/${post.id}/photos`);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([accepted.body.id]);
    // The post shows it at once: its detail's photos, its cover in every list.
    const detail = await t.http.get(`/api/v1/posts/${post.id}`);
    expect(detail.body.photos).toEqual([photo]);
    expect(detail.body.cover).toBe(photo.variants.thumb);
    const mine = await t.http.get(`/api/v1/users/${cook.id}/posts`);
    expect(mine.body.items.find((p: { id: string }) => p.id === post.id)).toMatchObject({ cover: photo.variants.thumb });
    expect(mine.body.items[0]).not.toHaveProperty('photos');
  });

  it('makes variants of a PNG (large is 1280 px wide, thumb 320), a WebP and an AVIF, and serves ranges', async () => {
    const post = await createPost(t, cook);
    const png = await settled((await upload(post.id, await images.png(), 'plate.png', cook, 'image/png')).body.id);
    expect(png).toMatchObject({ status: 'ready', width: 2000, height: 1000 });
    expect((await sharp((await fetchVariant(png.variants.large)).bytes).metadata()).width).toBe(1280);
    expect((await sharp((await fetchVariant(png.variants.thumb)).bytes).metadata()).width).toBe(320);
    const webp = await settled((await upload(post.id, await images.webp(), 'bowl', cook, 'application/octet-stream')).body.id);
    expect(webp).toMatchObject({ status: 'ready', width: 100, height: 80 });
    const avif = await settled((await upload(post.id, await sharp({ create: { width: 90, height: 60, channels: 3, background: 'teal' } }).avif().toBuffer(), 'x.avif', cook, 'image/avif')).body.id);
    expect(avif).toMatchObject({ status: 'ready', width: 90, height: 60 });
    const range = await fetch(webp.variants.thumb.replace('http://app.test', t.http.baseUrl), { headers: { range: 'bytes=0-3' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).toString('latin1')).toBe('RIFF');
  });

  it('decides the type by content: a text file named .jpg is 415, whatever it claims', async () => {
    const post = await createPost(t, cook);
    expectProblem(await upload(post.id, Buffer.from('definitely not a photo, just words'), 'dish.jpg'), 415);
    expectProblem(await t.http.post(`/api/v1/posts/${post.id}/photos`, { file: 'x' }, { token: cook.accessToken }), 415);
    expect((await t.http.get(`/api/v1/posts/${post.id}/photos`)).body.items).toEqual([]);
  });

  it('marks a truncated JPEG failed with corrupt_image', async () => {
    const post = await createPost(t, cook);
    const whole = await sharp({ create: { width: 300, height: 300, channels: 3, background: 'white' } }).jpeg().toBuffer();
    const photo = await settled((await upload(post.id, whole.subarray(0, Math.floor(whole.length / 2)))).body.id);
    expect(photo).toMatchObject({ status: 'failed', error: { code: 'corrupt_image', message: expect.any(String) } });
    expect(photo).not.toHaveProperty('variants');
  });

  it('refuses to decode a 20 000 × 20 000 image: failed with too_many_pixels', async () => {
    const post = await createPost(t, cook);
    // A PNG of one colour compresses to a few hundred KB: a decompression bomb.
    const bomb = await sharp({ create: { width: 20_000, height: 20_000, channels: 3, background: 'black' }, limitInputPixels: false }).greyscale().png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024); // small on the wire, 400 megapixels decoded
    const photo = await settled((await upload(post.id, bomb, 'bomb.png', cook, 'image/png')).body.id);
    expect(photo).toMatchObject({ status: 'failed', error: { code: 'too_many_pixels' } });
  });

  it('answers 413 over PHOTO_MAX_BYTES, 409 past PHOTOS_PER_POST, 403 to others and 404 for no post', async () => {
    const post = await createPost(t, cook);
    const big = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: 'black', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    expectProblem(await upload(post.id, big, 'big.png', cook, 'image/png'), 413);
    expectProblem(await upload(post.id, await images.webp(), 'x.webp', other), 403);
    expectProblem(await upload('00000000-0000-4000-8000-000000000000', await images.webp()), 404);
    for (let i = 0; i < 3; i += 1) expect((await upload(post.id, await images.webp())).status).toBe(202);
    expectProblem(await upload(post.id, await images.webp()), 409);
    expect((await t.http.get(`/api/v1/posts/${post.id}/photos`)).body.items).toHaveLength(3);
  });

  it('deletes a photo with its files (the author only)', async () => {
    const post = await createPost(t, cook);
    const photo = await settled((await upload(post.id, await images.webp())).body.id);
    expectProblem(await t.http.delete(`/api/v1/photos/${photo.id}`, undefined, { token: other.accessToken }), 403);
    expect((await t.http.delete(`/api/v1/photos/${photo.id}`, undefined, { token: cook.accessToken })).status).toBe(204);
    expectProblem(await t.http.get(`/api/v1/photos/${photo.id}`), 404);
    expect((await fetchVariant(photo.variants.thumb)).response.status).toBe(404);
    expect((await t.http.get(`/api/v1/posts/${post.id}/photos`)).body.items).toEqual([]);
    expect((await t.http.get(`/api/v1/posts/${post.id}`)).body).toMatchObject({ photos: [], cover: null });
  });

  it('keeps failed and pending photos out of the post, and shows ready ones in upload order', async () => {
    const post = await createPost(t, cook);
    await t.http.get(`/api/v1/posts/${post.id}`); // cached before any photo
    const broken = await settled((await upload(post.id, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]))).body.id);
    expect(broken.status).toBe('failed');
    const first = await settled((await upload(post.id, await images.webp())).body.id);
    const second = await settled((await upload(post.id, await images.phoneJpeg())).body.id);
    const detail = await t.http.get(`/api/v1/posts/${post.id}`);
    expect(detail.body.photos.map((p: { id: string }) => p.id)).toEqual([first.id, second.id]);
    expect(detail.body.cover).toBe(first.variants.thumb);
  });

  it('removes the files of a deleted post’s photos (a sweep follows the deletion) and keeps everyone else’s', async () => {
    const [gone, kept] = [await createPost(t, cook), await createPost(t, cook)];
    const doomed = await settled((await upload(gone.id, await images.webp())).body.id);
    const alive = await settled((await upload(kept.id, await images.webp())).body.id);
    expect((await t.http.delete(`/api/v1/posts/${gone.id}`, undefined, { token: cook.accessToken })).status).toBe(204);
    const [{ n }] = await sql<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'photo.sweep'`);
    expect(n).toBeGreaterThanOrEqual(1); // the deletion asked a worker to sweep
    // Run the sweep now, without its ten-minute grace for uploads in flight.
    const swept = await t.app.get(PhotosService).sweep(0);
    expect(swept).toContain(doomed.id);
    expect(swept).not.toContain(alive.id);
    expect((await fetchVariant(doomed.variants.thumb)).response.status).toBe(404);
    expect((await fetchVariant(alive.variants.thumb)).response.status).toBe(200);
  });

  it('reports processing in /metrics: results by code, durations, the queue depth', async () => {
    const metrics = (await t.http.get('/metrics')).text;
    const count = (labels: string) => Number(new RegExp(`^chopchop_photos_processed_total\\{${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(count('result="ready",code=""')).toBeGreaterThanOrEqual(7); // this file's ready photos so far
    expect(count('result="failed",code="corrupt_image"')).toBeGreaterThanOrEqual(2);
    expect(count('result="failed",code="too_many_pixels"')).toBe(1);
    expect(metrics).toMatch(/^chopchop_photo_processing_seconds_count\{result="ready"\} \d+/m);
    expect(metrics).toMatch(/^chopchop_job_queue_depth\{queue="photo.process"\} 0$/m);
  });
});
