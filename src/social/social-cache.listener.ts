import { Injectable } from '@nestjs/common';
import { ResponseCacheService } from '../cache/response-cache.service';
import { OnDomainEvent } from '../common/events/domain-events';
import { PostLiked } from '../posts/posts.events';
import { SocialTags } from './social.cache-tags';
import { PostSaved, UserFollowed } from './social.events';

/**
 * What each event makes stale among one caller's social answers: their flags, feed and saved list.
 * (Posts appearing, changing or going move PostTags.lists, which feeds and saved lists also carry.)
 */
@Injectable()
export class SocialCacheListener {
  constructor(private readonly responses: ResponseCacheService) {}

  @OnDomainEvent(PostLiked)
  onPostLiked({ userId }: PostLiked): Promise<void> {
    return this.responses.invalidate(SocialTags.viewer(userId));
  }

  @OnDomainEvent(PostSaved)
  onPostSaved({ userId }: PostSaved): Promise<void> {
    return this.responses.invalidate(SocialTags.viewer(userId), SocialTags.saved(userId));
  }

  @OnDomainEvent(UserFollowed)
  onUserFollowed({ followerId }: UserFollowed): Promise<void> {
    return this.responses.invalidate(SocialTags.viewer(followerId), SocialTags.feed(followerId));
  }
}
