import { Test } from '@nestjs/testing';
import { SessionsListener } from '../../auth/sessions/sessions.listener';
import { SessionsRevoked } from '../../auth/sessions/sessions.events';
import { SessionsService } from '../../auth/sessions/sessions.service';
import { ResponseCacheService } from '../../cache/response-cache.service';
import { IngredientsCacheListener } from '../../ingredients/ingredients-cache.listener';
import { IngredientCreated } from '../../ingredients/ingredients.events';
import { MailDispatcher } from '../../mail/mail-dispatcher.service';
import { MailListener } from '../../mail/mail.listener';
import { MailQueued } from '../../mail/mail.events';
import { PhotosCacheListener } from '../../photos/photos-cache.listener';
import { PhotoChanged } from '../../photos/photos.events';
import { PostsCacheListener } from '../../posts/posts-cache.listener';
import { CommentsChanged, PostChanged, PostCreated, PostDeleted, PostLiked } from '../../posts/posts.events';
import { SocialCacheListener } from '../../social/social-cache.listener';
import { PostSaved, UserFollowed } from '../../social/social.events';
import { UsersCacheListener } from '../../users/users-cache.listener';
import { ProfileChanged, UserActivated, UserDeleted } from '../../users/users.events';
import { type DomainEvent, DomainEvents } from './domain-events';
import { EventsModule } from './events.module';

/**
 * The answer to "what does this write make stale?", for every event, through the real bus and every
 * feature's listener, with the response cache replaced by a recorder (no store involved).
 */
describe('what each domain event makes stale', () => {
  const retired: string[] = [];
  const forgotten: string[][] = [];
  let kicks = 0;
  let events: DomainEvents;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventsModule],
      providers: [
        PostsCacheListener,
        UsersCacheListener,
        IngredientsCacheListener,
        SocialCacheListener,
        PhotosCacheListener,
        SessionsListener,
        MailListener,
        { provide: ResponseCacheService, useValue: { invalidate: async (...tags: string[]) => void retired.push(...tags) } },
        { provide: SessionsService, useValue: { forget: async (ids: string[]) => void forgotten.push(ids) } },
        { provide: MailDispatcher, useValue: { kick: () => (kicks += 1) } },
      ],
    }).compile();
    await moduleRef.init();
    events = moduleRef.get(DomainEvents);
  });

  async function stale(event: DomainEvent): Promise<string[]> {
    retired.length = 0;
    await events.publish(event);
    return [...new Set(retired)].sort();
  }

  it.each<[string, DomainEvent, string[]]>([
    ['a new post', new PostCreated('p', 'a'), ['ingredients', 'posts', 'user:a', 'users']],
    ['an edit keeping the ingredients', new PostChanged('p', false), ['post:p', 'posts']],
    ['an edit of the ingredients', new PostChanged('p', true), ['ingredients', 'post:p', 'posts']],
    ['a deleted post', new PostDeleted('p', 'a'), ['comments:p', 'ingredients', 'photos:p', 'post:p', 'posts', 'user:a', 'users']],
    ['a like', new PostLiked('p', 'v', true), ['post:p', 'posts', 'viewer:v']],
    ['a comment', new CommentsChanged('p'), ['comments:p', 'post:p', 'posts']],
    ['a save', new PostSaved('p', 'v', true), ['saved:v', 'viewer:v']],
    ['a follow', new UserFollowed('f', 'g', true), ['feed:f', 'user:f', 'user:g', 'users', 'viewer:f']],
    ['a confirmed account', new UserActivated('u'), ['user:u', 'users']],
    ['a new bio', new ProfileChanged('u', false), ['user:u', 'users']],
    ['a new name', new ProfileChanged('u', true), ['authors', 'user:u', 'users']],
    ['a deleted account', new UserDeleted('u'), ['authors', 'ingredients', 'posts', 'profiles', 'users']],
    ['a new ingredient', new IngredientCreated(1), ['ingredients']],
    ['a photo uploaded (pending)', new PhotoChanged('f', 'p', false), ['photo:f', 'photos:p']],
    ['a photo turned ready', new PhotoChanged('f', 'p', true), ['photo:f', 'photos:p', 'post:p', 'posts']],
  ])('%s', async (_what, event, tags) => {
    expect(await stale(event)).toEqual(tags);
  });

  it('revoked sessions are forgotten and queued mail is sent, also through the bus', async () => {
    await events.publish(new SessionsRevoked(['s1', 's2']), new MailQueued());
    expect(forgotten).toEqual([['s1', 's2']]);
    expect(kicks).toBe(1);
  });
});
