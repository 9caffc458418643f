import { DomainEvent } from '../../common/events/domain-events';

/** These sessions were revoked in the database: their access tokens must stop working everywhere. */
export class SessionsRevoked extends DomainEvent {
  constructor(readonly sessionIds: string[]) {
    super();
  }
}
