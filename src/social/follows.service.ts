import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Caller } from '../auth/sessions/sessions.service';
import { DomainEvents } from '../common/events/domain-events';
import { Vanished } from '../common/errors/vanished';
import { decodeCursor, type KeysetPosition } from '../common/pagination/cursor';
import { type Page, pageOf, type PageQueryDto } from '../common/pagination/page.dto';
import type { PublicUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import type { FollowStateDto } from './dto/social.dto';
import { type FollowRow, FollowsRepository } from './follows.repository';
import { UserFollowed } from './social.events';

@Injectable()
export class FollowsService {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Follows or unfollows, idempotently. Both accounts' rows are locked first, in id order: the
   * counter trigger then updates rows this transaction already holds (two opposite follows cannot
   * deadlock), and a follow racing either account's deletion waits for it and answers 404 / 401.
   */
  async set(caller: Caller, followeeId: string, following: boolean): Promise<FollowStateDto> {
    if (followeeId === caller.userId) throw new BadRequestException('You cannot follow yourself.');
    const outcome = await this.users.withLockedPair(caller.userId, followeeId, async (manager, accounts) => {
      if (!accounts.has(caller.userId)) throw Vanished.account();
      if (accounts.get(followeeId) !== true) throw new NotFoundException('No such user, or not active.');
      const changed = await this.follows.set(manager, caller.userId, followeeId, following);
      return { changed, followersCount: await this.users.followersCount(manager, followeeId) };
    });
    if (outcome.changed) await this.events.publish(new UserFollowed(caller.userId, followeeId, following));
    return { following, followersCount: outcome.followersCount };
  }

  async followers(userId: string, query: PageQueryDto): Promise<Page<PublicUserDto>> {
    await this.users.getPublic(userId);
    return this.page(query, (after) => this.follows.findFollowers(userId, query.limit + 1, after));
  }

  async following(userId: string, query: PageQueryDto): Promise<Page<PublicUserDto>> {
    await this.users.getPublic(userId);
    return this.page(query, (after) => this.follows.findFollowing(userId, query.limit + 1, after));
  }

  /** One keyset query for the follows, one primary-key query for the users they name. */
  private async page(query: PageQueryDto, find: (after?: KeysetPosition) => Promise<FollowRow[]>): Promise<Page<PublicUserDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, 'timestamp') : undefined;
    const ids = pageOf(await find(after), query.limit, (row) => row.userId, (row) => ({ key: row.cursorKey, id: row.userId }));
    return { items: await this.users.getPublicMany(ids.items), nextCursor: ids.nextCursor };
  }
}
