import { createClient } from '@redis/client';
import { randomBytes } from 'node:crypto';
import { CacheService } from '../src/cache/cache.service';
import { generationKey } from '../src/cache/cache-keys';
import { CacheTags } from '../src/cache/cache-tags';
import { GenerationWatch, LEASE_MS } from '../src/cache/generation-watch';
import { AppConfig } from '../src/config/app-config';
import { signUp, type Account } from './support/accounts';
import { eventually } from './support/eventually';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { describeWithRedis } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';

/** Holds once `watch` has a lease: a read's ticket is only ever valid then. */
const holding = (watch: GenerationWatch) => eventually(() => Promise.resolve(watch.ticket()), (ticket) => ticket >= 0);

describeWithRedis('generation watch: hits without a Redis round trip, never stale across instances (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let cook: Account;
  let redis: ReturnType<typeof createClient>;
  let prefix: string;
  beforeAll(async () => {
    prefix = `watch-${randomBytes(4).toString('hex')}`;
    a = await startTestApp({ env: { CACHE_KEY_PREFIX: prefix } });
    b = await startTestApp({ env: { CACHE_KEY_PREFIX: prefix }, databaseUrl: a.databaseUrl });
    cook = await signUp(a);
    redis = await createClient({ url: process.env.REDIS_URL }).connect();
    await Promise.all([holding(a.app.get(GenerationWatch)), holding(b.app.get(GenerationWatch))]);
  });
  afterAll(async () => {
    await redis.quit();
    await b.close();
    await a.close();
  });

  /** Redis's clock in ms, the one leases are kept by. */
  async function redisNow(): Promise<number> {
    const [seconds, micros] = await redis.sendCommand<string[]>(['TIME']);
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** Redis reads B's cache makes while `during` runs (a spy that calls through). */
  async function redisReadsOnB(during: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(b.app.get(CacheService), 'getStrings');
    try {
      await during();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('serves a hit from what the instance knows, and a write answered by the other instance shows in its next read, every time', async () => {
    const post = await createPost(a, cook, { title: 'v0' });
    const path = `/api/v1/posts/${post.id}`;
    await b.http.get(path);
    await b.http.get(path);
    let hit: ApiResponse | undefined;
    expect(await redisReadsOnB(async () => (hit = await b.http.get(path)))).toBe(0);
    expect([hit!.headers.get('x-cache'), hit!.body.title]).toEqual(['HIT', 'v0']);

    // Readers keep B busy (and its generations fresh) while writes land on A, then on B.
    let reading = true;
    const background = (async () => {
      while (reading) await b.http.get(path);
    })();
    try {
      for (let round = 1; round <= 20; round += 1) {
        const [writer, reader] = round % 2 ? [a, b] : [b, a];
        expect((await writer.http.patch(path, { title: `v${round}` }, { token: cook.accessToken })).status).toBe(200);
        const reads = await Promise.all([1, 2, 3].map(() => reader.http.get(path)));
        expect(reads.map((read) => read.body.title)).toEqual([`v${round}`, `v${round}`, `v${round}`]);
      }
    } finally {
      reading = false;
      await background;
    }
  });

  it('a lease holder that never acknowledges holds a write back until its lease has run out', async () => {
    const post = await createPost(a, cook, { title: 'Before' });
    // A silent holder: registered as the watches register, subscribed, never answering.
    const silent = redis.duplicate();
    await silent.connect();
    await silent.subscribe(`${prefix}:generation-watch:invalidations`, () => undefined);
    const until = (await redisNow()) + LEASE_MS;
    await redis.zAdd(`${prefix}:generation-watch:holders`, { score: until, value: 'silent' });
    try {
      const write = await a.http.patch(`/api/v1/posts/${post.id}`, { title: 'After' }, { token: cook.accessToken });
      expect(write.status).toBe(200);
      expect(await redisNow()).toBeGreaterThanOrEqual(until);
      expect((await b.http.get(`/api/v1/posts/${post.id}`)).body.title).toBe('After');
    } finally {
      await redis.zRem(`${prefix}:generation-watch:holders`, 'silent');
      await silent.quit();
    }
  });

  it('an instance whose subscription drops forgets what it knew (it may have missed an announcement), and knows again once subscribed', async () => {
    const post = await createPost(a, cook, { title: 'Before the cut' });
    const path = `/api/v1/posts/${post.id}`;
    await b.http.get(path);
    expect(await redisReadsOnB(() => b.http.get(path))).toBe(0);

    // A bump nobody announced stands for one announced while B's subscription was down.
    await redis.incr(`${prefix}:${generationKey(CacheTags.all)}`);
    const watch = b.app.get(GenerationWatch);
    const subscriberId = async () => (await redis.clientList()).find((client) => client.name === watch.subscriberName)?.id;
    const cut = await subscriberId();
    expect(cut).toBeDefined();
    await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(cut)]);
    await eventually(subscriberId, (id) => id !== undefined && id !== cut); // B noticed, and subscribed again
    await holding(watch);

    let read: ApiResponse | undefined;
    expect(await redisReadsOnB(async () => (read = await b.http.get(path)))).toBeGreaterThan(0);
    expect(read!.headers.get('x-cache')).toBe('MISS');
    expect(await redisReadsOnB(() => b.http.get(path))).toBe(0);
  });

  it('a write answered while an instance’s subscription is being cut shows in that instance’s next read', async () => {
    const post = await createPost(a, cook, { title: 'Before the cut' });
    const path = `/api/v1/posts/${post.id}`;
    await b.http.get(path);
    await b.http.get(path);
    const watch = b.app.get(GenerationWatch);
    const subscriber = (await redis.clientList()).find((client) => client.name === watch.subscriberName);
    await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(subscriber!.id)]);
    expect((await a.http.patch(path, { title: 'After the cut' }, { token: cook.accessToken })).status).toBe(200);
    expect((await b.http.get(path)).body.title).toBe('After the cut');
  });

  it('an instance with CACHE_GENERATION_WATCH=off reads Redis on every hit, and its writes still reach the instances that hold leases', async () => {
    const off = await startTestApp({ env: { CACHE_KEY_PREFIX: prefix, CACHE_GENERATION_WATCH: 'off' }, databaseUrl: a.databaseUrl });
    try {
      const post = await createPost(a, cook, { title: 'Seen by all' });
      const path = `/api/v1/posts/${post.id}`;
      await off.http.get(path);
      await b.http.get(path);
      const spy = jest.spyOn(off.app.get(CacheService), 'getStrings');
      try {
        const hit = await off.http.get(path);
        expect([hit.headers.get('x-cache'), spy.mock.calls.length]).toEqual(['HIT', 1]);
      } finally {
        spy.mockRestore();
      }
      expect(await redisReadsOnB(() => b.http.get(path))).toBe(0);
      expect((await off.http.patch(path, { title: 'Written where no lease is held' }, { token: cook.accessToken })).status).toBe(200);
      expect((await b.http.get(path)).body.title).toBe('Written where no lease is held');
    } finally {
      await off.close();
    }
  });

  it('does not learn generations a read found when an invalidation overtook its answer', async () => {
    const config = AppConfig.fromEnv({ ...process.env, JWT_SECRET: 'x'.repeat(40), CACHE_KEY_PREFIX: `watch-unit-${randomBytes(4).toString('hex')}` });
    const [first, second] = [new GenerationWatch(config), new GenerationWatch(config)];
    first.onModuleInit();
    second.onModuleInit();
    try {
      await Promise.all([holding(first), holding(second)]);
      const before = first.ticket();
      await second.announce(['gen:overtaken']); // resolves once `first` has acknowledged it
      first.learn(before, ['gen:overtaken'], ['41']);
      expect(first.lookup(['gen:overtaken'])).toBeUndefined();

      first.learn(first.ticket(), ['gen:overtaken'], ['42']);
      expect(first.lookup(['gen:overtaken'])).toEqual(['42']);
      await second.announce(['gen:overtaken']);
      expect(first.lookup(['gen:overtaken'])).toBeUndefined();
    } finally {
      await Promise.all([first.onApplicationShutdown(), second.onApplicationShutdown()]);
    }
  });
});
