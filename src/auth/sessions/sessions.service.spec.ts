import { JwtService } from '@nestjs/jwt';
import { CacheService } from '../../cache/cache.service';
import { AppConfig } from '../../config/app-config';
import type { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const USER = '4f6b3a5e-2f7d-4a8e-9d53-2c0f5b6c1a11';
const SESSION = '9a1b2c3d-2f7d-4a8e-9d53-2c0f5b6c1a22';

/**
 * The revocation race, step by step: a request reads "live" from the database, the session is
 * revoked and the revocation answered, and only then does the request try to cache "live".
 * The database is a fake whose answers the test releases; the cache is the real in-memory store.
 */
// Specs read the environment through AppConfig too: REDIS_URL, when set, adds a run on Redis.
const redisUrl = AppConfig.fromEnv().cache.redisUrl;
const stores: [string, string | undefined][] = [['memory', undefined], ...(redisUrl ? [['redis', redisUrl] as [string, string]] : [])];

describe.each(stores)('SessionsService revocation (%s store)', (_store, url) => {
  const config = AppConfig.fromEnv({ JWT_SECRET: 'x'.repeat(40), NODE_ENV: 'test', REDIS_URL: url, CACHE_KEY_PREFIX: `spec-${Math.random()}` });
  let cache: CacheService;
  let live: boolean;
  let gate: Promise<void>;
  let onRead: () => void;
  let service: SessionsService;
  let token: string;

  beforeEach(async () => {
    cache = new CacheService(config);
    for (let i = 0; i < 100 && (await cache.health()).status !== 'up'; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.del(`auth:session:${SESSION}`);
    live = true;
    gate = Promise.resolve();
    onRead = () => undefined;
    const repository = {
      // Reads the state as it is when the query runs, answers when the gate opens.
      isLive: async () => {
        const answer = live;
        onRead();
        await gate;
        return answer;
      },
    } as unknown as SessionsRepository;
    const jwt = new JwtService({ secret: config.auth.jwtSecret });
    service = new SessionsService(repository, jwt, cache, config);
    token = await jwt.signAsync({ sub: USER, sid: SESSION }, { expiresIn: 900 });
  });
  afterEach(() => cache.onApplicationShutdown());

  it('a "live" read before the revocation cannot be cached after it', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const read = new Promise<void>((resolve) => (onRead = resolve));
    const inFlight = service.authenticate(token); // reads "live", answers later
    await read;
    live = false;
    await service.forget([SESSION]); // the revocation committed and was answered
    open();
    await expect(inFlight).resolves.toEqual({ userId: USER, sessionId: SESSION }); // it started before: may pass
    gate = Promise.resolve();
    await expect(service.authenticate(token)).rejects.toThrow('The session has ended');
  });

  it('caches "live" while the session lasts, so later checks skip the database', async () => {
    await service.authenticate(token);
    live = false; // the database would now say no, but nothing revoked it through the service
    await expect(service.authenticate(token)).resolves.toEqual({ userId: USER, sessionId: SESSION });
  });

  it('rejects tokens that are not ours, and ours without a session or an expiry', async () => {
    const forged = await new JwtService({ secret: 'y'.repeat(40) }).signAsync({ sub: USER, sid: SESSION }, { expiresIn: 900 });
    await expect(service.authenticate(forged)).rejects.toThrow('invalid or expired');
    const ours = new JwtService({ secret: config.auth.jwtSecret });
    await expect(service.authenticate(await ours.signAsync({ sub: USER }, { expiresIn: 900 }))).rejects.toThrow('invalid or expired');
    await expect(service.authenticate(await ours.signAsync({ sub: USER, sid: SESSION }))).rejects.toThrow('invalid or expired');
  });

  it('stops accepting a token at its expiry although its signature was checked before', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1;
    const shortLived = await new JwtService({ secret: config.auth.jwtSecret }).signAsync({ sub: USER, sid: SESSION, exp });
    await expect(service.authenticate(shortLived)).resolves.toEqual({ userId: USER, sessionId: SESSION });
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    await expect(service.authenticate(shortLived)).rejects.toThrow('invalid or expired');
  });
});
