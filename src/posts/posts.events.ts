import { DomainEvent } from '../common/events/domain-events';

export class PostCreated extends DomainEvent {
  constructor(
    readonly postId: string,
    readonly authorId: string,
  ) {
    super();
  }
}

export class PostChanged extends DomainEvent {
  constructor(
    readonly postId: string,
    readonly ingredientsChanged: boolean,
  ) {
    super();
  }
}

/** Its comments, likes and saves went with it. */
export class PostDeleted extends DomainEvent {
  constructor(
    readonly postId: string,
    readonly authorId: string,
  ) {
    super();
  }
}

export class PostLiked extends DomainEvent {
  constructor(
    readonly postId: string,
    readonly userId: string,
    readonly liked: boolean,
  ) {
    super();
  }
}

/** A comment was added to or removed from the post. */
export class CommentsChanged extends DomainEvent {
  constructor(readonly postId: string) {
    super();
  }
}
