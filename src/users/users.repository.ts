import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isoMicros, isoMillis, type KeysetPosition, writtenLimit } from '../common/pagination/cursor';
import { prepared } from '../database/prepared-statements';
import { returningRows } from '../database/returning-rows';

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
}

/** A user as every read returns it: never the password hash (that is `Credentials`, below). */
export interface UserRow {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  bio: string;
  isActive: boolean;
  postsCount: number;
  followersCount: number;
  followingCount: number;
  createdAt: Date;
}

/** What checking a password needs, and nothing a response could show. */
export interface Credentials {
  id: string;
  passwordHash: string;
  isActive: boolean;
}

export type ProfileChanges = Partial<Pick<UserRow, 'firstName' | 'lastName' | 'bio'>>;

const COLUMNS = `u.id, u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.bio,
  u.is_active AS "isActive", u.posts_count AS "postsCount", u.followers_count AS "followersCount",
  u.following_count AS "followingCount", u.created_at AS "createdAt"`;
const PROFILE_COLUMNS: Record<keyof ProfileChanges, string> = { firstName: 'first_name', lastName: 'last_name', bio: 'bio' };

// E-mails are compared through fold_key(), the one case fold (users_email_fold_key).
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** An inactive account; a taken e-mail (in any letter case) fails with a unique violation. */
  async insert(manager: EntityManager, user: NewUser): Promise<UserRow> {
    const rows: UserRow[] = await manager.query(
      `INSERT INTO users AS u (email, password_hash, first_name, last_name, is_active) VALUES ($1, $2, $3, $4, false) RETURNING ${COLUMNS}`,
      [user.email, user.passwordHash, user.firstName, user.lastName],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserRow | null> {
    const rows: UserRow[] = await manager.query(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Active users among these ids, in the order of `ids`. */
  async findActiveByIds(ids: string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM users u WHERE u.id = ANY($1::uuid[]) AND u.is_active`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Locks these accounts' rows in id order (the one order every writer of two users' rows uses, so
   * two of them never deadlock): which of them exist, each with whether it is active.
   */
  async lockInOrder(manager: EntityManager, ids: string[]): Promise<Map<string, boolean>> {
    const rows: { id: string; isActive: boolean }[] = await manager.query(
      `SELECT id, is_active AS "isActive" FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.isActive]));
  }

  async followersCount(manager: EntityManager, id: string): Promise<number> {
    const rows: { n: number }[] = await manager.query(`SELECT followers_count AS n FROM users WHERE id = $1`, [id]);
    return rows[0]?.n ?? 0;
  }

  async findActiveById(id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1 AND u.is_active`, [id]);
    return rows[0] ?? null;
  }

  async findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<UserRow | null> {
    const rows: UserRow[] = await manager.query(`SELECT ${COLUMNS} FROM users u WHERE fold_key(u.email) = fold_key($1)`, [email]);
    return rows[0] ?? null;
  }

  async findCredentialsByEmail(email: string): Promise<Credentials | null> {
    const rows: Credentials[] = await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash", is_active AS "isActive" FROM users WHERE fold_key(email) = fold_key($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  async findCredentialsById(id: string): Promise<Credentials | null> {
    const rows: Credentials[] = await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash", is_active AS "isActive" FROM users WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The account, now active; null when it no longer exists. */
  async activate(manager: EntityManager, id: string): Promise<UserRow | null> {
    const result: unknown = await manager.query(`UPDATE users u SET is_active = true, updated_at = now() WHERE u.id = $1 RETURNING ${COLUMNS}`, [id]);
    return returningRows<UserRow>(result)[0] ?? null;
  }

  /** The account after the change; null when it no longer exists (deleted meanwhile). */
  async updateProfile(id: string, changes: ProfileChanges): Promise<UserRow | null> {
    const keys = (Object.keys(PROFILE_COLUMNS) as (keyof ProfileChanges)[]).filter((key) => changes[key] !== undefined);
    const sets = [...keys.map((key, i) => `${PROFILE_COLUMNS[key]} = $${i + 2}`), 'updated_at = now()'];
    const result: unknown = await this.dataSource.query(`UPDATE users u SET ${sets.join(', ')} WHERE u.id = $1 RETURNING ${COLUMNS}`, [
      id,
      ...keys.map((key) => changes[key]),
    ]);
    return returningRows<UserRow>(result)[0] ?? null;
  }

  /** False when the account no longer exists. */
  async updatePasswordHash(id: string, passwordHash: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: unknown = await manager.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING id`, [id, passwordHash]);
    return returningRows(result).length > 0;
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM users WHERE id = $1`, [id]);
  }

  /**
   * Active users, newest first, by keyset (users_active_created_idx) or, for simple clients, offset:
   * each as its public JSON text built by PostgreSQL (`PublicUserItemRow`), passed through as it is
   * (see common/json/raw-json; measured: parsing and re-serialising 100 users was most of an
   * uncached page). Prepared unless an offset is given (the plan for a deep offset differs).
   */
  findActivePage(limit: number, after?: KeysetPosition, offset?: number): Promise<PublicUserItemRow[]> {
    const params: unknown[] = after ? [after.key, after.id] : [];
    const keyset = after ? 'AND (u.created_at, u.id) < ($1::timestamptz, $2::uuid)' : '';
    if (offset !== undefined) params.push(offset);
    const sql = `SELECT u.id, ${isoMicros('u.created_at')} AS "cursorKey", row_to_json(item)::text AS json
        FROM users u
        CROSS JOIN LATERAL (SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName", u.bio,
                                   ${isoMillis(isoMicros('u.created_at'))} AS "createdAt", u.posts_count AS "postsCount",
                                   u.followers_count AS "followersCount", u.following_count AS "followingCount") item
        WHERE u.is_active ${keyset}
        ORDER BY u.created_at DESC, u.id DESC ${writtenLimit(limit)}${offset !== undefined ? ` OFFSET $${params.length}` : ''}`;
    return this.dataSource.query(offset === undefined ? prepared(sql) : sql, params);
  }
}

/** A public user as a list shows it: the JSON text of its PublicUserDto (fields in its order), with what the page needs beside it. */
export interface PublicUserItemRow {
  id: string;
  cursorKey: string;
  json: string;
}
