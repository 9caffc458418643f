import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MailOutboxRepository } from './mail-outbox.repository';
import { createMailTransport, type MailTransport } from './mail-transport';

const BATCH = 20;
const LEASE_SECONDS = 120;
export const MAX_ATTEMPTS = 12;

/** Exponential back-off: base, 2×base, 4×base … capped at one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempts - 1), 3_600_000);
}

/** Sends what the outbox holds, on a timer and right after each write that enqueued mail. */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailDispatcher.name);
  private readonly transport: MailTransport;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: MailOutboxRepository,
  ) {
    this.transport = createMailTransport(config);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.mail.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Starts a dispatch pass now (or right after the one under way). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn(`mail dispatch paused: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
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
      if (due.length < BATCH || this.stopped) return;
    }
  }
}
