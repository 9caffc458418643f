import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';

export interface IngredientRow {
  id: number;
  name: string;
}

/** An ingredient row with the name it was looked up by, exactly as the caller gave it. */
export interface ResolvedName extends IngredientRow {
  input: string;
}

// Every comparison of names goes through fold_key() (see the Hardening migration): the one case fold.
@Injectable()
export class IngredientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Finds or creates each name, in the caller's transaction, and says which row each input name
   * resolved to. New names are inserted in fold_key order, so two posts creating the same new
   * ingredients in different orders take their locks in one order and cannot deadlock; ON CONFLICT
   * makes concurrent creation of one name safe (the loser waits, then reads the winner's row).
   */
  async upsertByNames(manager: EntityManager, names: string[]): Promise<ResolvedName[]> {
    if (names.length === 0) return [];
    await manager.query(
      `INSERT INTO ingredients (name)
       SELECT DISTINCT ON (fold_key(n)) n FROM unnest($1::text[]) AS t(n) ORDER BY fold_key(n)
       ON CONFLICT ((fold_key(name))) DO NOTHING`,
      [names],
    );
    return this.findByNames(names, manager);
  }

  /** The rows these names fold to, each with its input name; names no ingredient has are left out. */
  findByNames(names: string[], manager: EntityManager = this.dataSource.manager): Promise<ResolvedName[]> {
    return manager.query(
      `SELECT t.n AS input, i.id, i.name FROM unnest($1::text[]) AS t(n) JOIN ingredients i ON fold_key(i.name) = fold_key(t.n)`,
      [names],
    );
  }

  /** Creates the ingredient unless it exists (in any letter case); says which happened. */
  async findOrCreate(name: string): Promise<{ ingredient: IngredientRow; created: boolean }> {
    const inserted = returningRows<IngredientRow>(
      await this.dataSource.query(`INSERT INTO ingredients (name) VALUES ($1) ON CONFLICT ((fold_key(name))) DO NOTHING RETURNING id, name`, [name]),
    );
    if (inserted[0]) return { ingredient: inserted[0], created: true };
    const [existing] = await this.findByNames([name]);
    return { ingredient: { id: existing.id, name: existing.name }, created: false };
  }

  /** Which of these ids exist. */
  async existingIds(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows: { id: number }[] = await this.dataSource.query(`SELECT id FROM ingredients WHERE id = ANY($1::int[])`, [ids]);
    return rows.map((row) => row.id);
  }

  async findWithPostsCount(id: number): Promise<(IngredientRow & { postsCount: number }) | null> {
    const rows: (IngredientRow & { postsCount: number })[] = await this.dataSource.query(
      `SELECT i.id, i.name, (SELECT count(*)::int FROM post_ingredients pi WHERE pi.ingredient_id = i.id) AS "postsCount"
         FROM ingredients i WHERE i.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Autocomplete: prefix matches first, then names with a word like q (trigram word similarity,
   * so "tom" finds "sun-dried tomato" and "tomatoe" finds "tomato"); ingredients_name_trgm_idx.
   * q is folded, then escaped for LIKE, in SQL: folding may itself produce % or _ (NFKC maps ％ to %).
   */
  search(q: string, limit: number): Promise<IngredientRow[]> {
    return this.dataSource.query(
      `WITH q AS (SELECT fold_key($1) AS folded)
       SELECT i.id, i.name FROM ingredients i, q
        WHERE fold_key(i.name) LIKE ${ESCAPED_PREFIX} OR q.folded <% fold_key(i.name)
        ORDER BY (fold_key(i.name) LIKE ${ESCAPED_PREFIX}) DESC, word_similarity(q.folded, fold_key(i.name)) DESC, fold_key(i.name), i.id
        LIMIT $2`,
      [q, limit],
    );
  }

  /** All ingredients in id order (the primary key), by keyset. */
  page(limit: number, afterId?: number): Promise<IngredientRow[]> {
    return this.dataSource.query(`SELECT id, name FROM ingredients WHERE id > $1 ORDER BY id LIMIT $2`, [afterId ?? 0, limit]);
  }
}

const ESCAPED_PREFIX = `replace(replace(replace(q.folded, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
