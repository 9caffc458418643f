import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { DomainEvent, DomainEvents } from '../common/events/domain-events';
import type { KeysetPosition } from '../common/pagination/cursor';
import type { PublicUserDto } from '../users/dto/user.dto';
import type { UsersService } from '../users/users.service';
import type { FollowRow, FollowsRepository } from './follows.repository';
import { FollowsService } from './follows.service';
import { UserFollowed } from './social.events';

/** follows and users in memory, with the same contract as the SQL behind them. */
class InMemoryGraph {
  readonly active = new Map<string, boolean>();
  readonly follows: { followerId: string; followeeId: string; at: string }[] = [];
  private clock = Date.parse('2026-01-01T00:00:00Z');

  readonly repository: Pick<FollowsRepository, 'set' | 'findFollowers' | 'findFollowing'> = {
    set: async (_manager, followerId, followeeId, following) => {
      const index = this.follows.findIndex((f) => f.followerId === followerId && f.followeeId === followeeId);
      if (following && index < 0) this.follows.push({ followerId, followeeId, at: new Date((this.clock += 1000)).toISOString() });
      if (!following && index >= 0) this.follows.splice(index, 1);
      return following ? index < 0 : index >= 0;
    },
    findFollowers: async (userId, limit, after) => this.page((f) => f.followeeId === userId, (f) => f.followerId, limit, after),
    findFollowing: async (userId, limit, after) => this.page((f) => f.followerId === userId, (f) => f.followeeId, limit, after),
  };

  readonly users: Pick<UsersService, 'withLockedPair' | 'followersCount' | 'getPublic' | 'getPublicMany'> = {
    withLockedPair: (a, b, work) => work(undefined as never, new Map([a, b].filter((id) => this.active.has(id)).map((id) => [id, this.active.get(id)!]))),
    followersCount: async (_manager, id) => this.follows.filter((f) => f.followeeId === id).length,
    getPublic: async (id) => {
      if (this.active.get(id) !== true) throw new NotFoundException('No such user.');
      return { id } as PublicUserDto;
    },
    getPublicMany: async (ids) => ids.filter((id) => this.active.get(id)).map((id) => ({ id }) as PublicUserDto),
  };

  private page(mine: (f: InMemoryGraph['follows'][number]) => boolean, other: (f: InMemoryGraph['follows'][number]) => string, limit: number, after?: KeysetPosition): FollowRow[] {
    return this.follows
      .filter(mine)
      .map((f) => ({ userId: other(f), cursorKey: f.at }))
      .sort((x, y) => (x.cursorKey === y.cursorKey ? y.userId.localeCompare(x.userId) : y.cursorKey.localeCompare(x.cursorKey)))
      .filter((row) => !after || row.cursorKey < String(after.key) || (row.cursorKey === after.key && row.userId < String(after.id)))
      .slice(0, limit);
  }
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('FollowsService (in-memory repositories)', () => {
  let graph: InMemoryGraph;
  let published: DomainEvent[];
  let service: FollowsService;
  const caller = (n: number) => ({ userId: uuid(n), sessionId: 's' });

  beforeEach(() => {
    graph = new InMemoryGraph();
    for (let n = 1; n <= 6; n += 1) graph.active.set(uuid(n), true);
    graph.active.set(uuid(9), false);
    published = [];
    const events = { publish: async (...list: DomainEvent[]) => void published.push(...list) } as DomainEvents;
    service = new FollowsService(graph.repository as FollowsRepository, graph.users as UsersService, events);
  });

  it('follows once, publishing the change only when something changed', async () => {
    expect(await service.set(caller(1), uuid(2), true)).toEqual({ following: true, followersCount: 1 });
    expect(await service.set(caller(1), uuid(2), true)).toEqual({ following: true, followersCount: 1 });
    expect(published).toEqual([new UserFollowed(uuid(1), uuid(2), true)]);
    expect(await service.set(caller(1), uuid(2), false)).toEqual({ following: false, followersCount: 0 });
    expect(await service.set(caller(1), uuid(2), false)).toEqual({ following: false, followersCount: 0 });
    expect(published).toHaveLength(2);
  });

  it('refuses oneself (400), unknown and inactive users (404), and a caller whose account is gone (401)', async () => {
    await expect(service.set(caller(1), uuid(1), true)).rejects.toBeInstanceOf(BadRequestException);
    await expect(service.set(caller(1), uuid(7), true)).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.set(caller(1), uuid(9), true)).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.set(caller(8), uuid(2), true)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(graph.follows).toEqual([]);
    expect(published).toEqual([]);
  });

  it('pages followers newest first and following likewise, by keyset', async () => {
    for (const fan of [3, 4, 5, 6]) await service.set(caller(fan), uuid(2), true);
    const first = await service.followers(uuid(2), { limit: 3 });
    expect(first.items.map((u) => u.id)).toEqual([uuid(6), uuid(5), uuid(4)]);
    const second = await service.followers(uuid(2), { limit: 3, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [{ id: uuid(3) }], nextCursor: null });
    expect((await service.following(uuid(3), { limit: 20 })).items).toEqual([{ id: uuid(2) }]);
    await expect(service.followers(uuid(9), { limit: 20 })).rejects.toBeInstanceOf(NotFoundException);
  });
});
