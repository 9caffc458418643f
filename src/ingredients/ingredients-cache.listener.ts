import { Injectable } from '@nestjs/common';
import { ResponseCacheService } from '../cache/response-cache.service';
import { OnDomainEvent } from '../common/events/domain-events';
import { PostChanged, PostCreated, PostDeleted } from '../posts/posts.events';
import { UserDeleted } from '../users/users.events';
import { IngredientTags } from './ingredients.cache-tags';
import { IngredientCreated } from './ingredients.events';

/** What each event makes stale among ingredient answers (lists, autocomplete, postsCount). */
@Injectable()
export class IngredientsCacheListener {
  constructor(private readonly responses: ResponseCacheService) {}

  @OnDomainEvent(IngredientCreated)
  onIngredientCreated(): Promise<void> {
    return this.responses.invalidate(IngredientTags.all);
  }

  /** A new post may have created ingredients and moved postsCount. */
  @OnDomainEvent(PostCreated)
  onPostCreated(): Promise<void> {
    return this.responses.invalidate(IngredientTags.all);
  }

  @OnDomainEvent(PostChanged)
  async onPostChanged({ ingredientsChanged }: PostChanged): Promise<void> {
    if (ingredientsChanged) await this.responses.invalidate(IngredientTags.all);
  }

  @OnDomainEvent(PostDeleted)
  onPostDeleted(): Promise<void> {
    return this.responses.invalidate(IngredientTags.all);
  }

  /** Their posts went: postsCount moved. */
  @OnDomainEvent(UserDeleted)
  onUserDeleted(): Promise<void> {
    return this.responses.invalidate(IngredientTags.all);
  }
}
