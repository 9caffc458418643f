import { Module } from '@nestjs/common';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailService } from './mail.service';

@Module({
  providers: [MailOutboxRepository, MailDispatcher, MailService],
  exports: [MailService],
})
export class MailModule {}
