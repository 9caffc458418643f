import { Injectable } from '@nestjs/common';
import { ResponseCacheService } from '../cache/response-cache.service';
import { OnDomainEvent } from '../common/events/domain-events';
import { PostDeleted } from '../posts/posts.events';
import { PhotoTags } from './photos.cache-tags';
import { PhotoChanged } from './photos.events';

/** What each event makes stale among photo answers. */
@Injectable()
export class PhotosCacheListener {
  constructor(private readonly responses: ResponseCacheService) {}

  @OnDomainEvent(PhotoChanged)
  onPhotoChanged({ photoId, postId }: PhotoChanged): Promise<void> {
    return this.responses.invalidate(PhotoTags.photo(photoId), PhotoTags.ofPost(postId));
  }

  /** Its photos went with it. */
  @OnDomainEvent(PostDeleted)
  onPostDeleted({ postId }: PostDeleted): Promise<void> {
    return this.responses.invalidate(PhotoTags.ofPost(postId));
  }
}
