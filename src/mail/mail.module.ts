import { Module } from '@nestjs/common';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailListener } from './mail.listener';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailService } from './mail.service';

@Module({
  providers: [MailOutboxRepository, MailDispatcher, MailService, MailListener],
  exports: [MailService],
})
export class MailModule {}
