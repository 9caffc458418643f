import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../common/events/domain-events';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailQueued } from './mail.events';

/** Sends queued mail now rather than at the next poll. */
@Injectable()
export class MailListener {
  constructor(private readonly dispatcher: MailDispatcher) {}

  @OnDomainEvent(MailQueued)
  onMailQueued(): void {
    this.dispatcher.kick();
  }
}
