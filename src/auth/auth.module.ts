import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
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
    // Per-instance, per-client-IP limit on the auth endpoints (AUTH_RATE_LIMIT requests a minute).
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ throttlers: [{ ttl: 60_000, limit: config.auth.rateLimitPerMinute }] }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, UserTokensRepository, AccountMailRequestsRepository, AccountMailsService],
})
export class AuthModule {}
