import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../../database/returning-rows';
import { inTransaction } from '../../database/transaction';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { SessionEntity } from '../entities/session.entity';

export type RefreshLookup =
  | { state: 'unknown' }
  | { state: 'reused' | 'revoked'; sessionId: string }
  | { state: 'valid'; sessionId: string; userId: string; tokenId: string };

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** A new session with its first refresh token; fails with a foreign-key violation when the user is gone. */
  async create(userId: string, expiresAt: Date, refreshHash: string): Promise<string> {
    return this.transaction(async (manager) => {
      const { identifiers } = await manager.insert(SessionEntity, { userId, expiresAt, revokedAt: null });
      const sessionId = identifiers[0].id as string;
      await manager.insert(RefreshTokenEntity, { sessionId, tokenHash: refreshHash });
      return sessionId;
    });
  }

  /** True when the session is live and its user active: the check behind every access token. */
  async isLive(sessionId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** Marks the token used (locking it), telling apart a fresh token, a replayed one and a dead session. */
  async useRefreshToken(manager: EntityManager, tokenHash: string): Promise<RefreshLookup> {
    const rows: { token_id: string; used_at: Date | null; session_id: string; user_id: string; live: boolean }[] =
      await manager.query(
        `SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id,
                (s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active) AS live
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [tokenHash],
      );
    const row = rows[0];
    if (!row) return { state: 'unknown' };
    if (!row.live) return { state: 'revoked', sessionId: row.session_id };
    if (row.used_at) return { state: 'reused', sessionId: row.session_id };
    await manager.update(RefreshTokenEntity, row.token_id, { usedAt: () => 'now()' });
    return { state: 'valid', sessionId: row.session_id, userId: row.user_id, tokenId: row.token_id };
  }

  async addRefreshToken(manager: EntityManager, sessionId: string, tokenHash: string): Promise<void> {
    await manager.insert(RefreshTokenEntity, { sessionId, tokenHash });
  }

  async revoke(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  /** Revokes the user's live sessions but `keep`; returns the ids revoked. */
  async revokeAllOfUser(userId: string, keep: string | null, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const result: unknown = await manager.query(
      `UPDATE sessions SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)
        RETURNING id`,
      [userId, keep],
    );
    return returningRows<{ id: string }>(result).map((row) => row.id);
  }
}
