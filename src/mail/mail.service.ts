import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MailOutboxRepository } from './mail-outbox.repository';
import type { RenderedMail } from './templates/mail-template';

/** What other features use: queue a mail inside their transaction, then publish MailQueued once it commits. */
@Injectable()
export class MailService {
  constructor(private readonly outbox: MailOutboxRepository) {}

  enqueue(manager: EntityManager, recipient: string, mail: RenderedMail): Promise<void> {
    return this.outbox.add(manager, recipient, mail);
  }
}
