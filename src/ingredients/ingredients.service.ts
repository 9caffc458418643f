import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainEvents } from '../common/events/domain-events';
import { decodeCursor } from '../common/pagination/cursor';
import { type Page, pageOf } from '../common/pagination/page.dto';
import type { IngredientDetailDto, IngredientDto, ListIngredientsQueryDto } from './dto/ingredient.dto';
import { IngredientCreated } from './ingredients.events';
import { IngredientsRepository, type ResolvedName } from './ingredients.repository';

@Injectable()
export class IngredientsService {
  constructor(
    private readonly ingredients: IngredientsRepository,
    private readonly events: DomainEvents,
  ) {}

  /** Ingredient rows for these names, creating the unknown ones (in the caller's transaction). */
  upsertByNames(manager: EntityManager, names: string[]): Promise<ResolvedName[]> {
    return this.ingredients.upsertByNames(manager, names);
  }

  /**
   * Filter references (`12` or `basil`) to distinct ingredient ids: one ingredient named twice (by
   * id and by name, or in two letter cases) counts once. Null when a reference names no ingredient.
   */
  async resolveRefs(refs: string[]): Promise<number[] | null> {
    const isId = (ref: string): boolean => /^\d{1,9}$/.test(ref);
    const ids = [...new Set(refs.filter(isId).map(Number))];
    const names = [...new Set(refs.filter((ref) => !isId(ref)))];
    const [foundIds, foundNames] = await Promise.all([this.ingredients.existingIds(ids), this.ingredients.findByNames(names)]);
    const resolvedNames = new Set(foundNames.map((row) => row.input));
    if (foundIds.length < ids.length || names.some((name) => !resolvedNames.has(name))) return null;
    return [...new Set([...foundIds, ...foundNames.map((row) => row.id)])];
  }

  async list(query: ListIngredientsQueryDto): Promise<Page<IngredientDto>> {
    if (query.q) return { items: await this.ingredients.search(query.q, query.limit), nextCursor: null };
    const after = query.cursor ? Number(decodeCursor(query.cursor, 'integer', 'integer').id) : undefined;
    const rows = await this.ingredients.page(query.limit + 1, after);
    return pageOf(rows, query.limit, (row) => row, (row) => ({ key: row.id, id: row.id }));
  }

  async get(id: number): Promise<IngredientDetailDto> {
    const ingredient = await this.ingredients.findWithPostsCount(id);
    if (!ingredient) throw new NotFoundException('No such ingredient.');
    return ingredient;
  }

  async findOrCreate(name: string): Promise<{ ingredient: IngredientDto; created: boolean }> {
    const result = await this.ingredients.findOrCreate(name);
    if (result.created) await this.events.publish(new IngredientCreated(result.ingredient.id));
    return result;
  }
}
