import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';

export interface IngredientRow {
  id: number;
  name: string;
}

@Injectable()
export class IngredientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Finds or creates each name (case-insensitively), in the caller's transaction. ON CONFLICT
   * makes concurrent creation of one name safe: the loser waits, then reads the winner's row.
   */
  async upsertByNames(manager: EntityManager, names: string[]): Promise<IngredientRow[]> {
    if (names.length === 0) return [];
    await manager.query(
      `INSERT INTO ingredients (name) SELECT unnest($1::varchar[]) ON CONFLICT ((lower(name))) DO NOTHING`,
      [names],
    );
    return manager.query(`SELECT id, name FROM ingredients WHERE lower(name) = ANY($1::text[])`, [names.map((n) => n.toLowerCase())]);
  }

  /** Creates the ingredient unless it exists (in any letter case); says which happened. */
  async findOrCreate(name: string): Promise<{ ingredient: IngredientRow; created: boolean }> {
    const inserted = returningRows<IngredientRow>(
      await this.dataSource.query(`INSERT INTO ingredients (name) VALUES ($1) ON CONFLICT ((lower(name))) DO NOTHING RETURNING id, name`, [name]),
    );
    if (inserted[0]) return { ingredient: inserted[0], created: true };
    const [existing] = (await this.dataSource.query(`SELECT id, name FROM ingredients WHERE lower(name) = lower($1)`, [name])) as IngredientRow[];
    return { ingredient: existing, created: false };
  }

  /** Ids for filter references: numbers are ids, anything else a name. Unknown ones are left out. */
  async resolveRefs(ids: number[], names: string[]): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM ingredients WHERE id = ANY($1::int[]) OR lower(name) = ANY($2::text[])`,
      [ids, names.map((n) => n.toLowerCase())],
    );
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
   */
  search(q: string, limit: number): Promise<IngredientRow[]> {
    return this.dataSource.query(
      `SELECT id, name FROM ingredients
        WHERE lower(name) LIKE $1 || '%' OR $2 <% lower(name)
        ORDER BY (lower(name) LIKE $1 || '%') DESC, word_similarity($2, lower(name)) DESC, lower(name), id
        LIMIT $3`,
      [escapeLike(q.toLowerCase()), q.toLowerCase(), limit],
    );
  }

  /** All ingredients in id order (the primary key), by keyset. */
  page(limit: number, afterId?: number): Promise<IngredientRow[]> {
    return this.dataSource.query(`SELECT id, name FROM ingredients WHERE id > $1 ORDER BY id LIMIT $2`, [afterId ?? 0, limit]);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
