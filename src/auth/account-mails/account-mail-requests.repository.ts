import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../../database/returning-rows';
import type { AccountMailPurpose } from '../entities/account-mail-request.entity';

export interface AccountMailRequest {
  id: string;
  purpose: AccountMailPurpose;
  email: string;
  attempts: number;
}

@Injectable()
export class AccountMailRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One insert, whatever the address: the only work a forgot/resend request does before its answer. */
  async record(purpose: AccountMailPurpose, email: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO account_mail_requests (purpose, email) VALUES ($1, $2)`, [purpose, email]);
  }

  /** Claims due requests for `leaseSeconds` (SKIP LOCKED: instances share the work). */
  async claimDue(limit: number, leaseSeconds: number): Promise<AccountMailRequest[]> {
    const result: unknown = await this.dataSource.query(
      `UPDATE account_mail_requests SET next_attempt_at = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id IN (SELECT id FROM account_mail_requests WHERE next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, purpose, email, attempts`,
      [limit, leaseSeconds],
    );
    return returningRows<AccountMailRequest>(result);
  }

  /** Done (in the transaction that queued its mail, if any): the address is not kept. */
  async delete(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: unknown = await manager.query(`DELETE FROM account_mail_requests WHERE id = $1 RETURNING id`, [id]);
    return returningRows(result).length > 0;
  }
}
