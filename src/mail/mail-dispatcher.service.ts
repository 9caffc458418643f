import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DrainLoop } from '../common/background/drain-loop';
import { AppConfig } from '../config/app-config';
import { MailOutboxRepository } from './mail-outbox.repository';
import { createMailTransport, type MailTransport } from './mail-transport';

const BATCH = 20;
const LEASE_SECONDS = 120;
export const MAX_ATTEMPTS = 12;
const PURGE_EVERY_MS = 3_600_000;

/** Exponential back-off: base, 2×base, 4×base … capped at one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempts - 1), 3_600_000);
}

/**
 * Sends what the outbox holds, on a timer and right after each write that enqueued mail. A sent
 * (or finally failed) mail keeps no body: its links carried single-use tokens. Rows older than
 * MAIL_RETENTION_DAYS go altogether.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailDispatcher.name);
  private readonly transport: MailTransport;
  private readonly loop: DrainLoop;
  private lastPurge = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: MailOutboxRepository,
  ) {
    this.transport = createMailTransport(config);
    this.loop = new DrainLoop(MailDispatcher.name, config.mail.pollMs, () => this.drain());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.transport.close();
  }

  /** Starts a dispatch pass now (or right after the one under way). */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.outbox.claimDue(BATCH, LEASE_SECONDS);
      for (const mail of due) {
        try {
          await this.transport.send({ id: mail.id, to: mail.recipient, subject: mail.subject, text: mail.text, html: mail.html });
          await this.outbox.markSent(mail.id);
        } catch (error) {
          const attempts = mail.attempts + 1;
          const retryIn = attempts >= MAX_ATTEMPTS ? null : retryDelayMs(attempts, this.config.mail.retryMs);
          this.logger.warn(`sending mail ${mail.id} failed (attempt ${attempts}): ${(error as Error).message}`);
          await this.outbox.markFailed(mail.id, attempts, (error as Error).message, retryIn);
        }
      }
      if (due.length < BATCH || this.loop.isStopped) break;
    }
    if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      const purged = await this.outbox.purgeOlderThan(this.config.mail.retentionDays);
      if (purged > 0) this.logger.log(`purged ${purged} mails older than ${this.config.mail.retentionDays} days`);
    }
  }
}
