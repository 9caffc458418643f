import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import type { PhotoErrorCode, PhotoStatus } from './entities/photo.entity';

export interface PhotoRow {
  id: string;
  postId: string;
  status: PhotoStatus;
  format: string;
  errorCode: PhotoErrorCode | null;
  errorMessage: string | null;
  width: number | null;
  height: number | null;
  createdAt: Date;
  processedAt: Date | null;
}

const COLUMNS = `id, post_id AS "postId", status, format, error_code AS "errorCode", error_message AS "errorMessage",
  width, height, created_at AS "createdAt", processed_at AS "processedAt"`;

@Injectable()
export class PhotosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, id: string, postId: string, format: string): Promise<PhotoRow> {
    const rows: PhotoRow[] = await manager.query(`INSERT INTO photos (id, post_id, format) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [id, postId, format]);
    return rows[0];
  }

  async countForPost(postId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM photos WHERE post_id = $1`, [postId]);
    return rows[0].n;
  }

  async findById(id: string): Promise<PhotoRow | null> {
    const rows: PhotoRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM photos WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A post's photos in upload order (photos_post_created_idx). */
  findForPost(postId: string): Promise<PhotoRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM photos WHERE post_id = $1 ORDER BY created_at, id`, [postId]);
  }

  /** SQL for the ready photos of the post `postIdSql`, in upload order, as one JSON array of PhotoRow (dates as text). */
  readyJsonSql(postIdSql: string): string {
    return `(SELECT COALESCE(json_agg(r ORDER BY r."createdAt", r.id), '[]') FROM (SELECT ${COLUMNS} FROM photos WHERE post_id = ${postIdSql} AND status = 'ready') r)`;
  }

  /** SQL for the id of the first ready photo of the post `postIdSql` (photos_post_created_idx), or NULL. */
  coverIdSql(postIdSql: string): string {
    return `(SELECT id FROM photos WHERE post_id = ${postIdSql} AND status = 'ready' ORDER BY created_at, id LIMIT 1)`;
  }

  /** Takes the photo for processing unless it is done already (ready or failed) or gone: null then. */
  async claim(id: string): Promise<PhotoRow | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE photos SET status = 'processing' WHERE id = $1 AND status IN ('pending', 'processing') RETURNING ${COLUMNS}`,
      [id],
    );
    return returningRows<PhotoRow>(result)[0] ?? null;
  }

  async markReady(id: string, width: number, height: number): Promise<PhotoRow | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE photos SET status = 'ready', width = $2, height = $3, processed_at = now() WHERE id = $1 AND status = 'processing' RETURNING ${COLUMNS}`,
      [id, width, height],
    );
    return returningRows<PhotoRow>(result)[0] ?? null;
  }

  async markFailed(id: string, code: PhotoErrorCode, message: string): Promise<PhotoRow | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE photos SET status = 'failed', error_code = $2, error_message = $3, processed_at = now() WHERE id = $1 AND status = 'processing' RETURNING ${COLUMNS}`,
      [id, code, message],
    );
    return returningRows<PhotoRow>(result)[0] ?? null;
  }

  /** Which of these ids still have a photo row. */
  async existingIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM photos WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((row) => row.id);
  }

  /** False when it was gone already (a concurrent deletion won). */
  async delete(manager: EntityManager, id: string): Promise<boolean> {
    return returningRows(await manager.query(`DELETE FROM photos WHERE id = $1 RETURNING id`, [id])).length > 0;
  }
}
