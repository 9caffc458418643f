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

  /** Sent: the body goes (its links carried single-use tokens); recipient, subject and dates stay for audit. */
  async markSent(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE mail_outbox SET status = 'sent', sent_at = now(), last_error = NULL, text = '', html = '' WHERE id = $1`, [id]);
  }

  /** Pending again after `retryInMs`, or failed for good (null), which also drops the body. */
  async markFailed(id: string, attempts: number, error: string, retryInMs: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET attempts = $2, last_error = $3,
              status = CASE WHEN $4::int IS NULL THEN 'failed' ELSE 'pending' END,
              text = CASE WHEN $4::int IS NULL THEN '' ELSE text END,
              html = CASE WHEN $4::int IS NULL THEN '' ELSE html END,
              next_attempt_at = now() + make_interval(secs => COALESCE($4::int, 0) / 1000.0)
        WHERE id = $1`,
      [id, attempts, error.slice(0, 2000), retryInMs],
    );
  }

  /** Deletes sent and failed mails older than the retention period; how many went. */
  async purgeOlderThan(days: number): Promise<number> {
    const result: unknown = await this.dataSource.query(
      `DELETE FROM mail_outbox WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1) RETURNING id`,
      [days],
    );
    return returningRows(result).length;
  }
}
