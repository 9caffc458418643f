import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { PhotosService } from '../src/photos/photos.service';
import { MEDIA_STORAGE, type MediaStorage } from '../src/storage/media-storage';
import { type Account, signUp } from './support/accounts';
import { runs } from './support/arbitraries';
import { eventually } from './support/eventually';
import type { ApiResponse } from './support/http-client';
import { pngOf, uploadPhoto } from './support/photos';
import { createPost } from './support/posts';
import { expectContractAnswer } from './support/problems';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/** Photo uploads against themselves, against the post's deletion, and against any bytes a client can send. */
describe('photo uploads under races and arbitrary input (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  let image: Buffer;
  beforeAll(async () => {
    t = await startTestApp({ env: { PHOTOS_PER_POST: '3' } });
    cook = await signUp(t);
    image = await sharp({ create: { width: 24, height: 24, channels: 3, background: 'purple' } }).png().toBuffer();
  });
  afterAll(() => t.close());

  const upload = (postId: string, file: Buffer, name = 'x.png'): Promise<ApiResponse> => uploadPhoto(t, cook, postId, file, name);

  const count = async (postId: string) => (await sql<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM photos WHERE post_id = $1`, [postId]))[0].n;

  it('six uploads at once to a post that takes three: three 202s, three 409s, never a fourth photo', async () => {
    for (let round = 0; round < 5; round += 1) {
      const post = await createPost(t, cook);
      const answers = await Promise.all(Array.from({ length: 6 }, () => upload(post.id, image)));
      answers.forEach(expectContractAnswer);
      expect(answers.map((r) => r.status).sort()).toEqual([202, 202, 202, 409, 409, 409]);
      expect(await count(post.id)).toBe(3);
    }
  });

  it('uploads racing the post’s deletion: 202 or 404, and no photo row outlives its post', async () => {
    for (let round = 0; round < 5; round += 1) {
      const post = await createPost(t, cook);
      const answers = await Promise.all([upload(post.id, image), upload(post.id, image), t.http.delete(`/api/v1/posts/${post.id}`, undefined, { token: cook.accessToken })]);
      answers.forEach(expectContractAnswer);
      expect(answers[2].status).toBe(204);
      answers.slice(0, 2).forEach((r) => expect([202, 404]).toContain(r.status));
      expect(await count(post.id)).toBe(0);
    }
  });

  it('deleting one photo many times at once, while the worker renders it: one 204, the rest 404, no files left', async () => {
    for (let round = 0; round < 5; round += 1) {
      const post = await createPost(t, cook);
      const { body } = await upload(post.id, image);
      const answers = await Promise.all(Array.from({ length: 4 }, () => t.http.delete(`/api/v1/photos/${body.id}`, undefined, { token: cook.accessToken })));
      answers.forEach(expectContractAnswer);
      expect(answers.map((r) => r.status).sort()).toEqual([204, 404, 404, 404]);
      // Whichever finished last, the deletion or the rendering, the photo's folder goes.
      const folder = join(t.config.storage.mediaDir, 'photos', body.id);
      await eventually(() => Promise.resolve(existsSync(folder)), (exists) => !exists);
    }
  });

  it('any bytes under any name are a 202 (an image by content) or a 415, never a 5xx', async () => {
    const post = await createPost(t, cook);
    const prefixes = fc.constantFrom(Buffer.alloc(0), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'));
    await fc.assert(
      fc.asyncProperty(prefixes, fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 40 }), async (prefix, rest, name) => {
        const answer = await upload(post.id, Buffer.concat([prefix, Buffer.from(rest)]), name || 'f');
        expectContractAnswer(answer);
        expect([202, 409, 415]).toContain(answer.status);
        if (answer.status === 202) await t.http.delete(`/api/v1/photos/${answer.body.id}`, undefined, { token: cook.accessToken });
      }),
      runs(40),
    );
  });

  it('any path id on the social and photo writes is a contract answer, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 60 })), async (id) => {
        const path = encodeURIComponent(id);
        for (const answer of await Promise.all([
          t.http.put(`/api/v1/users/${path}/follow`, undefined, { token: cook.accessToken }),
          t.http.delete(`/api/v1/users/${path}/follow`, undefined, { token: cook.accessToken }),
          t.http.put(`/api/v1/posts/${path}/save`, undefined, { token: cook.accessToken }),
          t.http.delete(`/api/v1/photos/${path}`, undefined, { token: cook.accessToken }),
        ])) {
          expectContractAnswer(answer);
          expect([400, 404]).toContain(answer.status);
        }
      }),
      runs(40),
    );
  });
});

/** The worker's side of the race with a deletion, made deterministic: no inline worker, the job run by hand. */
describe('a photo deleted while its worker renders it (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('the worker finds the row gone after writing the variants and removes them', async () => {
    t = await startTestApp({ env: { WORKERS: 'off' } });
    const cook = await signUp(t);
    const post = await createPost(t, cook);
    const { id } = (await uploadPhoto(t, cook, post.id, await pngOf(20, 'red'))).body as { id: string };
    const storage = t.app.get<MediaStorage>(MEDIA_STORAGE);
    const write = storage.write.bind(storage);
    let deletedMidway = false;
    jest.spyOn(storage, 'write').mockImplementation(async (key, bytes) => {
      if (!deletedMidway) {
        deletedMidway = true; // the owner deletes the photo between the worker's claim and its writes
        expect((await t.http.delete(`/api/v1/photos/${id}`, undefined, { token: cook.accessToken })).status).toBe(204);
      }
      return write(key, bytes);
    });
    await t.app.get(PhotosService).process(id);
    expect(deletedMidway).toBe(true);
    expect(existsSync(join(t.config.storage.mediaDir, 'photos', id))).toBe(false);
  });
});
