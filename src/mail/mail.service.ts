import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailOutboxRepository } from './mail-outbox.repository';
import type { RenderedMail } from './templates/mail-template';

/** What other features use: queue a mail inside their transaction, then nudge the dispatcher. */
@Injectable()
export class MailService {
  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  enqueue(manager: EntityManager, recipient: string, mail: RenderedMail): Promise<void> {
    return this.outbox.add(manager, recipient, mail);
  }

  /** Call after the enqueuing transaction commits. */
  flush(): void {
    this.dispatcher.kick();
  }
}
