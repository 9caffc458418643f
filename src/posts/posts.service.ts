import { BadRequestException, ForbiddenException, Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/sessions/sessions.service';
import { DomainEvents } from '../common/events/domain-events';
import type { RawJson } from '../common/json/raw-json';
import { optionalProvider } from '../common/providers/optional-provider';
import { Vanished } from '../common/errors/vanished';
import { decodeCursor } from '../common/pagination/cursor';
import { answerMissingReference } from '../database/pg-errors';
import { type Page, pageOf, type PageQueryDto } from '../common/pagination/page.dto';
import { IngredientsService } from '../ingredients/ingredients.service';
import type { ListPostsQueryDto } from './dto/list-posts.query';
import type { IngredientLineDto, PatchPostDto, PostInputDto } from './dto/post-input.dto';
import type { LikeStateDto, PostDto, PostSummaryDto } from './dto/post.dto';
import { POST_PHOTOS, type PostPhotosSource } from './post-photos';
import { toPostDto, toPostSummary } from './post.mapper';
import type { PostListFilters } from './post-list.query';
import { PostChanged, PostCreated, PostDeleted, PostLiked } from './posts.events';
import { type PostFields, PostsRepository } from './posts.repository';

/** A summary item as PostgreSQL wrote it (see post-list.query's summaryItems). */
export type PostSummary = RawJson<PostSummaryDto>;

const NO_PHOTOS: PostPhotosSource = { readySql: () => `'[]'::json`, readyFrom: () => [], coverSql: () => 'NULL', coverFrom: () => null };

@Injectable()
export class PostsService implements OnModuleInit {
  private photos: PostPhotosSource = NO_PHOTOS;

  constructor(
    private readonly posts: PostsRepository,
    private readonly ingredients: IngredientsService,
    private readonly events: DomainEvents,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Provided by the photos feature, which imports this one; absent where photos are not loaded.
    this.photos = optionalProvider<PostPhotosSource>(this.modules, POST_PHOTOS) ?? NO_PHOTOS;
  }

  /** A page of summaries: one query for the posts with their authors, ingredients and covers. */
  async list(query: ListPostsQueryDto, authorId?: string, followedBy?: string): Promise<Page<PostSummary>> {
    const filters: PostListFilters = { sort: query.sort, complexity: query.complexity, authorId: authorId ?? query.author, q: query.q, followedBy };
    if (query.ingredient?.length) {
      const ids = await this.ingredients.resolveRefs(query.ingredient);
      if (!ids) return { items: [], nextCursor: null }; // an unknown ingredient: no post contains it
      filters.ingredientIds = ids;
    }
    const after = query.cursor ? decodeCursor(query.cursor, query.sort === 'popular' ? 'integer' : 'timestamp') : undefined;
    const rows = await this.posts.findPage(filters, query.limit + 1, after, this.photos.coverSql('page.id'));
    return pageOf(
      rows,
      query.limit,
      (row) => toPostSummary(row, this.photos.coverFrom(row.cover)),
      (row) => ({ key: query.sort === 'popular' ? row.likes : row.createdAt, id: row.id }),
    );
  }

  /** The caller's feed: posts by the people they follow, newest first. */
  feed(userId: string, query: PageQueryDto): Promise<Page<PostSummary>> {
    return this.list({ ...query, sort: 'new' }, undefined, userId);
  }

  /** Summaries of these posts in this order (posts deleted meanwhile left out). */
  async summaries(ids: string[]): Promise<PostSummary[]> {
    const rows = new Map((await this.posts.findSummariesByIds(ids, this.photos.coverSql('page.id'))).map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [toPostSummary(row, this.photos.coverFrom(row.cover))] : [];
    });
  }

  exists(id: string): Promise<boolean> {
    return this.posts.exists(id);
  }

  async get(id: string, manager?: EntityManager): Promise<PostDto> {
    const row = await this.posts.findById(id, this.photos.readySql('p.id'), manager);
    if (!row) throw new NotFoundException('No such post.');
    return toPostDto(row, this.photos.readyFrom(row.photos));
  }

  async create(caller: Caller, input: PostInputDto): Promise<PostDto> {
    const created = this.posts.transaction(async (manager) => {
      const id = await this.posts.insert(manager, caller.userId, postFields(input));
      await this.setIngredients(manager, id, input.ingredients);
      return this.get(id, manager);
    });
    const post = await answerMissingReference(created, { users: Vanished.account });
    await this.events.publish(new PostCreated(post.id, caller.userId));
    return post;
  }

  /** PUT replaces everything; PATCH only what it names (ingredients, when named, as a whole list). */
  async update(caller: Caller, id: string, changes: PostInputDto | PatchPostDto): Promise<PostDto> {
    const post = await this.posts.transaction(async (manager) => {
      await this.requireOwner(manager, caller, id);
      const { ingredients, ...fields } = changes;
      await this.posts.update(manager, id, fields);
      if (ingredients) await this.setIngredients(manager, id, ingredients);
      return this.get(id, manager);
    });
    await this.events.publish(new PostChanged(id, changes.ingredients !== undefined));
    return post;
  }

  async replace(caller: Caller, id: string, input: PostInputDto): Promise<PostDto> {
    return this.update(caller, id, { ...input, ...postFields(input) });
  }

  async delete(caller: Caller, id: string): Promise<void> {
    await this.posts.transaction(async (manager) => {
      await this.requireOwner(manager, caller, id);
      await this.posts.delete(manager, id);
    });
    await this.events.publish(new PostDeleted(id, caller.userId));
  }

  async like(caller: Caller, id: string, liked: boolean): Promise<LikeStateDto> {
    const outcome = await answerMissingReference(this.posts.setLike(id, caller.userId, liked), { users: Vanished.account });
    if (outcome === null) throw new NotFoundException('No such post.');
    if (outcome.changed) await this.events.publish(new PostLiked(id, caller.userId, liked));
    return { likes: outcome.likes, liked };
  }

  /** Runs `work` in a transaction holding the post's row, after checking the caller owns it (404 / 403 otherwise). */
  withOwnedPost<T>(caller: Caller, id: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.posts.transaction(async (manager) => {
      await this.requireOwner(manager, caller, id);
      return work(manager);
    });
  }

  /** 404 when the post is missing, 403 when the caller is not its author (a short transaction: the check before slow work). */
  async checkOwner(caller: Caller, id: string): Promise<void> {
    await this.withOwnedPost(caller, id, () => Promise.resolve());
  }

  private async requireOwner(manager: EntityManager, caller: Caller, id: string): Promise<void> {
    const authorId = await this.posts.lockAuthor(manager, id);
    if (!authorId) throw new NotFoundException('No such post.');
    if (authorId !== caller.userId) throw new ForbiddenException('Only the author may change this post.');
  }

  /** Lines naming one ingredient twice (in any letter case or Unicode form) are a 400. */
  private async setIngredients(manager: EntityManager, postId: string, lines: IngredientLineDto[]): Promise<void> {
    const rows = await this.ingredients.upsertByNames(manager, lines.map((line) => line.name));
    const idByInput = new Map(rows.map((row) => [row.input, row.id]));
    const ids = lines.map((line) => idByInput.get(line.name));
    const missing = lines.find((_, i) => ids[i] === undefined);
    if (missing) throw new Error(`ingredient "${missing.name}" neither found nor created`); // cannot happen: upserted above
    const twice = lines.find((_, i) => ids.indexOf(ids[i]) !== i);
    if (twice) throw new BadRequestException(`The ingredient "${twice.name}" is listed twice; list each ingredient once.`);
    await this.posts.replaceIngredientLines(
      manager,
      postId,
      lines.map((line, i) => ({ ingredientId: ids[i]!, quantity: line.quantity ?? null })),
    );
  }
}

/** PUT semantics: optional fields left out are cleared. */
function postFields(input: PostInputDto): PostFields {
  return {
    title: input.title,
    body: input.body,
    complexity: input.complexity,
    cookingTimeMinutes: input.cookingTimeMinutes ?? null,
    servings: input.servings ?? null,
  };
}
