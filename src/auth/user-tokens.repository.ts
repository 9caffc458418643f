import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import { UserTokenEntity, type UserTokenPurpose } from './entities/user-token.entity';

@Injectable()
export class UserTokensRepository {
  async add(manager: EntityManager, userId: string, purpose: UserTokenPurpose, tokenHash: string, expiresAt: Date): Promise<void> {
    await manager.insert(UserTokenEntity, { userId, purpose, tokenHash, expiresAt, usedAt: null });
  }

  /** Spends a token atomically: the owner's id when it was unused and unexpired, null otherwise. */
  async consume(manager: EntityManager, purpose: UserTokenPurpose, tokenHash: string): Promise<string | null> {
    const result: unknown = await manager.query(
      `UPDATE user_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [tokenHash, purpose],
    );
    return returningRows<{ user_id: string }>(result)[0]?.user_id ?? null;
  }

  /** Spends every other outstanding token of that purpose (after a reset, older links die too). */
  async consumeAll(manager: EntityManager, userId: string, purpose: UserTokenPurpose): Promise<void> {
    await manager.query(`UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, purpose]);
  }
}
