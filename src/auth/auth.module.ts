import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { AccountMailRequestsRepository } from './account-mails/account-mail-requests.repository';
import { AccountMailsService } from './account-mails/account-mails.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionsModule } from './sessions/sessions.module';
import { UserTokensRepository } from './user-tokens.repository';

@Module({
  imports: [
    SessionsModule,
    UsersModule,
    MailModule,
  ],
  controllers: [AuthController],
  providers: [AuthService, UserTokensRepository, AccountMailRequestsRepository, AccountMailsService],
})
export class AuthModule {}
