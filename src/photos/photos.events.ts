import { DomainEvent } from '../common/events/domain-events';

/** A photo was added, finished processing (ready or failed) or deleted. */
export class PhotoChanged extends DomainEvent {
  constructor(
    readonly photoId: string,
    readonly postId: string,
    /** The post's ready photos changed (its detail's `photos` and its lists' `cover`). */
    readonly readyChanged: boolean,
  ) {
    super();
  }
}
