import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { AccessTokenGuard, OptionalAccessTokenGuard } from './access-token.guard';
import { SessionsListener } from './sessions.listener';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Sessions and access-token checking: used by auth (login, refresh) and by every guarded feature. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [SessionsRepository, SessionsService, SessionsListener, AccessTokenGuard, OptionalAccessTokenGuard],
  exports: [SessionsService, AccessTokenGuard, OptionalAccessTokenGuard],
})
export class SessionsModule {}
