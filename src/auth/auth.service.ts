import { BadRequestException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../common/events/domain-events';
import { Vanished } from '../common/errors/vanished';
import { hashToken } from '../common/security/random-token';
import { inTransaction } from '../database/transaction';
import { toUserDto, type UserDto } from '../users/dto/user.dto';
import { MailQueued } from '../mail/mail.events';
import { UserActivated } from '../users/users.events';
import { UsersService } from '../users/users.service';
import { AccountMailsService } from './account-mails/account-mails.service';
import type { ChangePasswordDto, RegisterDto, ResetPasswordDto } from './dto/auth-input.dto';
import type { MessageDto, TokenDto } from './dto/token.dto';
import { SessionsRevoked } from './sessions/sessions.events';
import { type Caller, SessionsService } from './sessions/sessions.service';
import { UserTokensRepository } from './user-tokens.repository';

const SENT_IF_EXISTS = 'If an account exists for this address, an e-mail is on its way.';

/** Account flows: registration and confirmation, login and sessions, password reset and change. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly userTokens: UserTokensRepository,
    private readonly accountMails: AccountMailsService,
    private readonly events: DomainEvents,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async register(input: RegisterDto): Promise<UserDto> {
    const newUser = await this.users.newUser(input);
    const user = await inTransaction(this.dataSource, async (manager) => {
      const created = await this.users.register(manager, newUser);
      await this.accountMails.queueConfirmation(manager, created);
      return created;
    });
    await this.events.publish(new MailQueued());
    return toUserDto(user);
  }

  async confirm(token: string): Promise<UserDto> {
    const user = await inTransaction(this.dataSource, async (manager) => {
      const userId = await this.userTokens.consume(manager, 'email_confirmation', hashToken(token));
      return userId ? this.users.activate(manager, userId) : null;
    });
    if (!user) throw new BadRequestException('The confirmation link is invalid, expired or already used.');
    await this.events.publish(new UserActivated(user.id));
    return toUserDto(user);
  }

  /** Same work and answer whether or not the account exists: the mail follows in the background. */
  async resendConfirmation(email: string): Promise<MessageDto> {
    await this.accountMails.request('email_confirmation', email);
    return { message: SENT_IF_EXISTS };
  }

  async login(email: string, password: string): Promise<TokenDto> {
    const account = await this.users.checkCredentials(email, password);
    if (!account) throw new UnauthorizedException('The e-mail or password is wrong.');
    if (!account.isActive) throw new ForbiddenException('Confirm your e-mail address first: see the link we sent you.');
    return this.sessions.open(account.id);
  }

  refresh(refreshToken: string): Promise<TokenDto> {
    return this.sessions.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.close(refreshToken);
  }

  /** Same work and answer whether or not the account exists: the mail follows in the background. */
  async forgotPassword(email: string): Promise<MessageDto> {
    await this.accountMails.request('password_reset', email);
    return { message: SENT_IF_EXISTS };
  }

  /** Sets the new password and ends every session of the account. */
  async resetPassword({ token, password }: ResetPasswordDto): Promise<MessageDto> {
    const revoked = await inTransaction(this.dataSource, async (manager) => {
      const userId = await this.userTokens.consume(manager, 'password_reset', hashToken(token));
      if (!userId) return null;
      await this.userTokens.consumeAll(manager, userId, 'password_reset');
      await this.users.setPassword(manager, userId, password);
      return this.sessions.revokeAllOfUser(userId, null, manager);
    });
    if (!revoked) throw new BadRequestException('The reset link is invalid, expired or already used.');
    await this.events.publish(new SessionsRevoked(revoked));
    return { message: 'Your password has been reset; log in with the new one.' };
  }

  /** Changes the password and ends the caller's other sessions (this one stays). */
  async changePassword(caller: Caller, { currentPassword, newPassword }: ChangePasswordDto): Promise<MessageDto> {
    if (!(await this.users.checkPassword(caller.userId, currentPassword))) {
      throw new ForbiddenException('The current password is wrong.');
    }
    const revoked = await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.users.setPassword(manager, caller.userId, newPassword))) return null;
      return this.sessions.revokeAllOfUser(caller.userId, caller.sessionId, manager);
    });
    if (!revoked) throw Vanished.account();
    await this.events.publish(new SessionsRevoked(revoked));
    return { message: 'Your password has been changed; your other sessions have ended.' };
  }
}
