import { Injectable } from '@nestjs/common';
import { ResponseCacheService } from '../cache/response-cache.service';
import { OnDomainEvent } from '../common/events/domain-events';
import { PostCreated, PostDeleted } from '../posts/posts.events';
import { UserFollowed } from '../social/social.events';
import { UserTags } from './users.cache-tags';
import { ProfileChanged, UserActivated, UserDeleted } from './users.events';

/** What each event makes stale among answers showing users (profiles, user lists, followers). */
@Injectable()
export class UsersCacheListener {
  constructor(private readonly responses: ResponseCacheService) {}

  @OnDomainEvent(UserActivated)
  onUserActivated({ userId }: UserActivated): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.user(userId));
  }

  @OnDomainEvent(ProfileChanged)
  onProfileChanged({ userId }: ProfileChanged): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.user(userId));
  }

  /** Gone from every list, and the follower counts of everyone it followed or who followed it moved. */
  @OnDomainEvent(UserDeleted)
  onUserDeleted(): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.profiles);
  }

  /** The author's postsCount. */
  @OnDomainEvent(PostCreated)
  onPostCreated({ authorId }: PostCreated): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.user(authorId));
  }

  @OnDomainEvent(PostDeleted)
  onPostDeleted({ authorId }: PostDeleted): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.user(authorId));
  }

  /** followingCount of the one, followersCount of the other, and the follower lists showing them. */
  @OnDomainEvent(UserFollowed)
  onUserFollowed({ followerId, followeeId }: UserFollowed): Promise<void> {
    return this.responses.invalidate(UserTags.lists, UserTags.user(followerId), UserTags.user(followeeId));
  }
}
