import { DomainEvent } from '../common/events/domain-events';

/** The follower started (`following`) or stopped following the followee. */
export class UserFollowed extends DomainEvent {
  constructor(
    readonly followerId: string,
    readonly followeeId: string,
    readonly following: boolean,
  ) {
    super();
  }
}

/** The user saved (`saved`) or unsaved the post. */
export class PostSaved extends DomainEvent {
  constructor(
    readonly postId: string,
    readonly userId: string,
    readonly saved: boolean,
  ) {
    super();
  }
}
