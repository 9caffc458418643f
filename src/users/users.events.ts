import { DomainEvent } from '../common/events/domain-events';

/** The account's e-mail was confirmed: it is listed and has a profile from now on. */
export class UserActivated extends DomainEvent {
  constructor(readonly userId: string) {
    super();
  }
}

export class ProfileChanged extends DomainEvent {
  constructor(
    readonly userId: string,
    /** First or last name changed: they show wherever the user authored something. */
    readonly renamed: boolean,
  ) {
    super();
  }
}

/** The account is gone, and with it (by cascade) its posts, comments, likes, saves and follows. */
export class UserDeleted extends DomainEvent {
  constructor(readonly userId: string) {
    super();
  }
}
