import { Test } from '@nestjs/testing';
import PgBoss from 'pg-boss';
import sharp from 'sharp';
import { AppConfig } from '../src/config/app-config';
import { PhotosWorker } from '../src/photos/photos.worker';
import { WorkerModule } from '../src/worker.module';
import { type Account, signUp } from './support/accounts';
import { eventually } from './support/eventually';
import { pngOf, uploadPhoto } from './support/photos';
import { createPost } from './support/posts';
import { describeWithRedis } from './support/redis';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * WORKERS=off: the API only records photos and their jobs; worker processes (here, worker
 * application contexts built from WorkerModule, as `node dist/src/worker.js` builds one) process
 * them and retire the API's cached answers through Redis.
 */
describeWithRedis('photo workers apart from the API (e2e)', () => {
  let api: TestApp;
  let cook: Account;
  const workers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    api = await startTestApp({ env: { WORKERS: 'off', JOB_TIMEOUT: '2' } });
    cook = await signUp(api);
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await api.close();
  });

  async function startWorker(): Promise<void> {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).overrideProvider(AppConfig).useValue(api.config).compile();
    await moduleRef.init();
    await moduleRef.get(PhotosWorker).start();
    workers.push(moduleRef);
  }

  async function upload(postId: string, file: Buffer): Promise<string> {
    const response = await uploadPhoto(api, cook, postId, file, 'dish.png', 'image/png');
    expect(response.status).toBe(202);
    return (response.body as { id: string }).id;
  }

  const status = async (id: string) => (await api.http.get(`/api/v1/photos/${id}`)).body.status as string;

  it('leaves photos pending without a worker, and two workers then process each exactly once', async () => {
    const post = await createPost(api, cook);
    const image = await sharp({ create: { width: 50, height: 40, channels: 3, background: 'orange' } }).png().toBuffer();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await upload(post.id, image));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await Promise.all(ids.map(status))).toEqual(ids.map(() => 'pending')); // cached as pending, too
    await Promise.all([startWorker(), startWorker()]);
    const settled = await eventually(() => Promise.all(ids.map(status)), (all) => all.every((s) => s === 'ready'), 20_000);
    expect(settled).toEqual(ids.map(() => 'ready'));
    // One job a photo (singleton by photo id), completed on its first attempt.
    const jobs = await sql<{ key: string; state: string; retries: number }>(
      api.databaseUrl,
      `SELECT singleton_key AS key, state, retry_count AS retries FROM pgboss.job WHERE name = 'photo.process' AND singleton_key = ANY($1)`,
      [ids],
    );
    expect(jobs.map((job) => job.key).sort()).toEqual([...ids].sort());
    expect(jobs.every((job) => job.state === 'completed' && job.retries === 0)).toBe(true);
  });

  it('a photo whose worker died mid-job still ends ready: the job expires and another worker takes it', async () => {
    const post = await createPost(api, cook);
    const id = await upload(post.id, await sharp({ create: { width: 30, height: 30, channels: 3, background: 'green' } }).png().toBuffer());
    // The dying worker: takes the job (and the photo, as a worker does), then its process is gone.
    const dying = new PgBoss({ connectionString: api.databaseUrl, supervise: false, schedule: false, migrate: false });
    await dying.start();
    const [job] = await dying.fetch<{ photoId: string }>('photo.process');
    expect(job?.data.photoId).toBe(id);
    await sql(api.databaseUrl, `UPDATE photos SET status = 'processing' WHERE id = $1`, [id]);
    await dying.stop({ graceful: false, close: true, wait: true });
    if (workers.length === 0) await startWorker();
    const photo = await eventually(() => api.http.get(`/api/v1/photos/${id}`), (r) => r.body.status === 'ready', 20_000);
    expect(photo.body).toMatchObject({ status: 'ready', width: 30, height: 30 });
    const [state] = await sql<{ state: string; retries: number }>(api.databaseUrl, `SELECT state, retry_count AS retries FROM pgboss.job WHERE singleton_key = $1`, [id]);
    expect(state).toEqual({ state: 'completed', retries: 1 }); // run again once, after the first worker's death
  });
});

/** Without Redis each process caches in memory: the worker's "ready" reaches the API through PostgreSQL (InvalidationRelay). */
describe('a photo worker apart from an API that caches in memory (e2e)', () => {
  let api: TestApp;
  let worker: { close(): Promise<void> } | undefined;
  beforeAll(async () => {
    api = await startTestApp({ env: { WORKERS: 'off', REDIS_URL: undefined } });
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  it('retires the API’s cached "pending" once the worker has made the photo ready', async () => {
    expect(api.config.cache.redisUrl).toBeUndefined();
    const cook = await signUp(api);
    const post = await createPost(api, cook);
    const { id } = (await uploadPhoto(api, cook, post.id, await pngOf(20, 'red'))).body as { id: string };
    await api.http.get(`/api/v1/photos/${id}`);
    const cached = await api.http.get(`/api/v1/photos/${id}`);
    expect([cached.body.status, cached.headers.get('x-cache')]).toEqual(['pending', 'HIT']);
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).overrideProvider(AppConfig).useValue(api.config).compile();
    await moduleRef.init();
    await moduleRef.get(PhotosWorker).start();
    worker = moduleRef;
    const ready = await eventually(() => api.http.get(`/api/v1/photos/${id}`), (r) => r.body.status === 'ready', 15_000);
    expect(ready.body.status).toBe('ready');
    expect((await api.http.get(`/api/v1/posts/${post.id}`)).body.photos.map((p: { id: string }) => p.id)).toEqual([id]);
  });
});
