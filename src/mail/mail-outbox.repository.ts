import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import { OutboxMailEntity } from './entities/outbox-mail.entity';
import type { RenderedMail } from './templates/mail-template';

export type ClaimedMail = Pick<OutboxMailEntity, 'id' | 'recipient' | 'subject' | 'text' | 'html' | 'attempts'>;

@Injectable()
export class MailOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts in the caller's transaction, so the mail exists exactly when the change that caused it does. */
  async add(manager: EntityManager, recipient: string, mail: RenderedMail): Promise<void> {
    await manager.insert(OutboxMailEntity, { recipient, subject: mail.subject, text: mail.text, html: mail.html });
  }

  /** Claims due mails for `leaseSeconds`; SKIP LOCKED lets several instances dispatch side by side. */
  async claimDue(limit: number, leaseSeconds: number): Promise<ClaimedMail[]> {
    const result: unknown = await this.dataSource.query(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, text, html, attempts`,
      [limit, leaseSeconds],
    );
    return returningRows<ClaimedMail>(result);
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.getRepository(OutboxMailEntity).update(id, { status: 'sent', sentAt: () => 'now()', lastError: null });
  }

  async markFailed(id: string, attempts: number, error: string, retryInMs: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET attempts = $2, last_error = $3,
              status = CASE WHEN $4::int IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => COALESCE($4::int, 0) / 1000.0)
        WHERE id = $1`,
      [id, attempts, error.slice(0, 2000), retryInMs],
    );
  }
}
