import { Injectable } from '@nestjs/common';
import { ResponseCacheService } from '../cache/response-cache.service';
import { OnDomainEvent } from '../common/events/domain-events';
import { PhotoChanged } from '../photos/photos.events';
import { ProfileChanged, UserDeleted } from '../users/users.events';
import { PostTags } from './posts.cache-tags';
import { CommentsChanged, PostChanged, PostCreated, PostDeleted, PostLiked } from './posts.events';

/** What each event makes stale among answers showing posts and comments. */
@Injectable()
export class PostsCacheListener {
  constructor(private readonly responses: ResponseCacheService) {}

  @OnDomainEvent(PostCreated)
  onPostCreated(): Promise<void> {
    return this.responses.invalidate(PostTags.lists);
  }

  @OnDomainEvent(PostChanged)
  onPostChanged({ postId }: PostChanged): Promise<void> {
    return this.responses.invalidate(PostTags.lists, PostTags.post(postId));
  }

  @OnDomainEvent(PostDeleted)
  onPostDeleted({ postId }: PostDeleted): Promise<void> {
    return this.responses.invalidate(PostTags.lists, PostTags.post(postId), PostTags.comments(postId));
  }

  /** The like count shows in the post and in every list holding it. */
  @OnDomainEvent(PostLiked)
  onPostLiked({ postId }: PostLiked): Promise<void> {
    return this.responses.invalidate(PostTags.lists, PostTags.post(postId));
  }

  /** The comment list, the post's commentsCount, and the lists that show it. */
  @OnDomainEvent(CommentsChanged)
  onCommentsChanged({ postId }: CommentsChanged): Promise<void> {
    return this.responses.invalidate(PostTags.comments(postId), PostTags.post(postId), PostTags.lists);
  }

  /** A photo became ready or a ready one went: the post's `photos` and its lists' `cover`. */
  @OnDomainEvent(PhotoChanged)
  async onPhotoChanged({ postId, readyChanged }: PhotoChanged): Promise<void> {
    if (readyChanged) await this.responses.invalidate(PostTags.lists, PostTags.post(postId));
  }

  @OnDomainEvent(ProfileChanged)
  async onProfileChanged({ renamed }: ProfileChanged): Promise<void> {
    if (renamed) await this.responses.invalidate(PostTags.authors);
  }

  /** Their posts went, and their likes and comments on everyone else's posts: counts moved everywhere. */
  @OnDomainEvent(UserDeleted)
  onUserDeleted(): Promise<void> {
    return this.responses.invalidate(PostTags.lists, PostTags.authors);
  }
}
