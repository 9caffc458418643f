import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { PasswordHasher } from './password-hasher';
import { UsersCacheListener } from './users-cache.listener';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [SessionsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PasswordHasher, UsersCacheListener],
  exports: [UsersService],
})
export class UsersModule {}
