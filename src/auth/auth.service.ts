import { BadRequestException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CacheTags } from '../cache/cache-tags';
import { ResponseCacheService } from '../cache/response-cache.service';
import { hashToken, newRandomToken } from '../common/security/random-token';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { confirmationMail, passwordResetMail } from '../mail/templates/account-mails';
import { toUserDto, type UserDto } from '../users/dto/user.dto';
import type { UserEntity } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import type { ChangePasswordDto, RegisterDto, ResetPasswordDto } from './dto/auth-input.dto';
import type { MessageDto, TokenDto } from './dto/token.dto';
import type { UserTokenPurpose } from './entities/user-token.entity';
import { type Caller, SessionsService } from './sessions/sessions.service';
import { UserTokensRepository } from './user-tokens.repository';

const CONFIRMATION_TTL_MS = 24 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;
const SENT_IF_EXISTS = 'If an account exists for this address, an e-mail is on its way.';

/** Account flows: registration and confirmation, login and sessions, password reset and change. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly userTokens: UserTokensRepository,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly responses: ResponseCacheService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async register(input: RegisterDto): Promise<UserDto> {
    const newUser = await this.users.newUser(input);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.register(manager, newUser);
      await this.sendConfirmation(manager, created);
      return created;
    });
    this.mail.flush();
    return toUserDto(user);
  }

  async confirm(token: string): Promise<UserDto> {
    const user = await this.dataSource.transaction(async (manager) => {
      const userId = await this.userTokens.consume(manager, 'email_confirmation', hashToken(token));
      return userId ? this.users.activate(manager, userId) : null;
    });
    if (!user) throw new BadRequestException('The confirmation link is invalid, expired or already used.');
    await this.responses.invalidate(CacheTags.users, CacheTags.user(user.id));
    return toUserDto(user);
  }

  async resendConfirmation(email: string): Promise<MessageDto> {
    const user = await this.users.findByEmail(email);
    if (user && !user.isActive) {
      await this.dataSource.transaction((manager) => this.sendConfirmation(manager, user));
      this.mail.flush();
    }
    return { message: SENT_IF_EXISTS };
  }

  async login(email: string, password: string): Promise<TokenDto> {
    const user = await this.users.checkCredentials(email, password);
    if (!user) throw new UnauthorizedException('The e-mail or password is wrong.');
    if (!user.isActive) throw new ForbiddenException('Confirm your e-mail address first: see the link we sent you.');
    return this.sessions.open(user.id);
  }

  refresh(refreshToken: string): Promise<TokenDto> {
    return this.sessions.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.close(refreshToken);
  }

  async forgotPassword(email: string): Promise<MessageDto> {
    const user = await this.users.findByEmail(email);
    if (user) {
      await this.dataSource.transaction(async (manager) => {
        const token = await this.issueToken(manager, user.id, 'password_reset', RESET_TTL_MS);
        const link = `${this.config.appUrl}/reset-password?token=${token}`;
        await this.mail.enqueue(manager, user.email, passwordResetMail(user.firstName, link));
      });
      this.mail.flush();
    }
    return { message: SENT_IF_EXISTS };
  }

  /** Sets the new password and ends every session of the account. */
  async resetPassword({ token, password }: ResetPasswordDto): Promise<MessageDto> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const userId = await this.userTokens.consume(manager, 'password_reset', hashToken(token));
      if (!userId) return null;
      await this.userTokens.consumeAll(manager, userId, 'password_reset');
      await this.users.setPassword(manager, userId, password);
      return this.sessions.revokeAllOfUser(userId, null, manager);
    });
    if (!revoked) throw new BadRequestException('The reset link is invalid, expired or already used.');
    await this.sessions.forget(revoked);
    return { message: 'Your password has been reset; log in with the new one.' };
  }

  /** Changes the password and ends the caller's other sessions (this one stays). */
  async changePassword(caller: Caller, { currentPassword, newPassword }: ChangePasswordDto): Promise<MessageDto> {
    if (!(await this.users.checkPassword(caller.userId, currentPassword))) {
      throw new ForbiddenException('The current password is wrong.');
    }
    const revoked = await this.dataSource.transaction(async (manager) => {
      await this.users.setPassword(manager, caller.userId, newPassword);
      return this.sessions.revokeAllOfUser(caller.userId, caller.sessionId, manager);
    });
    await this.sessions.forget(revoked);
    return { message: 'Your password has been changed; your other sessions have ended.' };
  }

  private async sendConfirmation(manager: EntityManager, user: UserEntity): Promise<void> {
    const token = await this.issueToken(manager, user.id, 'email_confirmation', CONFIRMATION_TTL_MS);
    const link = `${this.config.appUrl}/api/v1/auth/confirm?token=${token}`;
    await this.mail.enqueue(manager, user.email, confirmationMail(user.firstName, link));
  }

  private async issueToken(manager: EntityManager, userId: string, purpose: UserTokenPurpose, ttlMs: number): Promise<string> {
    const token = newRandomToken();
    await this.userTokens.add(manager, userId, purpose, hashToken(token), new Date(Date.now() + ttlMs));
    return token;
  }
}
