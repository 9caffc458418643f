import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DrainLoop } from '../../common/background/drain-loop';
import { DomainEvents } from '../../common/events/domain-events';
import { hashToken, newRandomToken } from '../../common/security/random-token';
import { AppConfig } from '../../config/app-config';
import { inTransaction } from '../../database/transaction';
import { MailQueued } from '../../mail/mail.events';
import { MailService } from '../../mail/mail.service';
import { confirmationMail, passwordResetMail } from '../../mail/templates/account-mails';
import type { UserRow } from '../../users/users.repository';
import { UsersService } from '../../users/users.service';
import type { AccountMailPurpose } from '../entities/account-mail-request.entity';
import { UserTokensRepository } from '../user-tokens.repository';
import { type AccountMailRequest, AccountMailRequestsRepository } from './account-mail-requests.repository';

const CONFIRMATION_TTL_MS = 24 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;
const BATCH = 20;
const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 10;

/**
 * E-mails that carry a single-use token: confirmation (at registration, or asked again) and password
 * reset. "Ask again" and "forgot" are recorded as requests and answered at once, the same way for
 * any address; the account is looked up afterwards, here, so the answer's timing tells nothing.
 */
@Injectable()
export class AccountMailsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccountMailsService.name);
  private readonly loop: DrainLoop;

  constructor(
    private readonly requests: AccountMailRequestsRepository,
    private readonly userTokens: UserTokensRepository,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.loop = new DrainLoop(AccountMailsService.name, config.mail.pollMs, () => this.drain());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Records the request durably, then handles it in the background. */
  async request(purpose: AccountMailPurpose, email: string): Promise<void> {
    await this.requests.record(purpose, email);
    this.loop.kick();
  }

  /** Issues a confirmation token and queues its e-mail, in the caller's transaction (registration). */
  async queueConfirmation(manager: EntityManager, user: Pick<UserRow, 'id' | 'email' | 'firstName'>): Promise<void> {
    const token = await this.issueToken(manager, user.id, 'email_confirmation', CONFIRMATION_TTL_MS);
    await this.mail.enqueue(manager, user.email, confirmationMail(user.firstName, this.link(this.config.links.confirm, token)));
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.requests.claimDue(BATCH, LEASE_SECONDS);
      for (const request of due) {
        try {
          await this.handle(request);
        } catch (error) {
          this.logger.warn(`account mail request ${request.id} failed (attempt ${request.attempts}): ${(error as Error).message}`);
          if (request.attempts >= MAX_ATTEMPTS) await this.requests.delete(request.id);
        }
      }
      if (due.length > 0) await this.events.publish(new MailQueued());
      if (due.length < BATCH || this.loop.isStopped) return;
    }
  }

  /** The request goes in the transaction that queues its mail: exactly one mail, or none. */
  private async handle(request: AccountMailRequest): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.requests.delete(request.id, manager))) return; // another instance handled it
      const user = await this.users.findByEmail(request.email, manager);
      if (!user) return;
      if (request.purpose === 'email_confirmation' && !user.isActive) await this.queueConfirmation(manager, user);
      if (request.purpose === 'password_reset') {
        const token = await this.issueToken(manager, user.id, 'password_reset', RESET_TTL_MS);
        await this.mail.enqueue(manager, user.email, passwordResetMail(user.firstName, this.link(this.config.links.reset, token)));
      }
    });
  }

  private async issueToken(manager: EntityManager, userId: string, purpose: AccountMailPurpose, ttlMs: number): Promise<string> {
    const token = newRandomToken();
    await this.userTokens.add(manager, userId, purpose, hashToken(token), new Date(Date.now() + ttlMs));
    return token;
  }

  private link(template: string, token: string): string {
    return template.replace('{token}', encodeURIComponent(token));
  }
}
