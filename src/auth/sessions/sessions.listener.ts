import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../../common/events/domain-events';
import { SessionsRevoked } from './sessions.events';
import { SessionsService } from './sessions.service';

/** Revoked sessions stop vouching for their access tokens on every instance. */
@Injectable()
export class SessionsListener {
  constructor(private readonly sessions: SessionsService) {}

  @OnDomainEvent(SessionsRevoked)
  onSessionsRevoked(event: SessionsRevoked): Promise<void> {
    return this.sessions.forget(event.sessionIds);
  }
}
