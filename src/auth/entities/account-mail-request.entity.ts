import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { UserTokenPurpose } from './user-token.entity';

/** The e-mailed token each request asks for. */
export type AccountMailPurpose = UserTokenPurpose;

/**
 * A forgot-password or resend-confirmation request, recorded alike for known and unknown
 * addresses so the answer takes the same time either way; handled (token + mail) after the answer.
 */
@Entity('account_mail_requests')
export class AccountMailRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_account_mail_requests' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  purpose: AccountMailPurpose;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Index('account_mail_requests_due_idx')
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
