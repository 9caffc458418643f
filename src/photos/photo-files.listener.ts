import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../common/events/domain-events';
import { PostDeleted } from '../posts/posts.events';
import { UserDeleted } from '../users/users.events';
import { PhotosService } from './photos.service';

/** A deleted post or account took its photo rows with it (cascade); a worker then removes their files. */
@Injectable()
export class PhotoFilesListener {
  constructor(private readonly photos: PhotosService) {}

  @OnDomainEvent(PostDeleted)
  onPostDeleted(): Promise<void> {
    return this.photos.requestSweep();
  }

  @OnDomainEvent(UserDeleted)
  onUserDeleted(): Promise<void> {
    return this.photos.requestSweep();
  }
}
