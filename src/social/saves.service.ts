import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/sessions/sessions.service';
import { DomainEvents } from '../common/events/domain-events';
import { Vanished } from '../common/errors/vanished';
import { decodeCursor } from '../common/pagination/cursor';
import { type Page, pageOf, type PageQueryDto } from '../common/pagination/page.dto';
import { answerMissingReference } from '../database/pg-errors';
import { type PostSummary, PostsService } from '../posts/posts.service';
import type { SaveStateDto } from './dto/social.dto';
import { SavesRepository } from './saves.repository';
import { PostSaved } from './social.events';

@Injectable()
export class SavesService {
  constructor(
    private readonly saves: SavesRepository,
    private readonly posts: PostsService,
    private readonly events: DomainEvents,
  ) {}

  /** Saves or unsaves, idempotently; 404 for no such post (also when it is deleted meanwhile). */
  async set(caller: Caller, postId: string, saved: boolean): Promise<SaveStateDto> {
    if (!saved && !(await this.posts.exists(postId))) throw Vanished.post();
    const changed = await answerMissingReference(this.saves.set(caller.userId, postId, saved), { posts: Vanished.post, users: Vanished.account });
    if (changed) await this.events.publish(new PostSaved(postId, caller.userId, saved));
    return { saved };
  }

  /** One keyset query over the saves, then the posts they name, in that order. */
  async list(caller: Caller, query: PageQueryDto): Promise<Page<PostSummary>> {
    const after = query.cursor ? decodeCursor(query.cursor, 'timestamp') : undefined;
    const ids = pageOf(await this.saves.findPage(caller.userId, query.limit + 1, after), query.limit, (row) => row.postId, (row) => ({ key: row.cursorKey, id: row.postId }));
    return { items: await this.posts.summaries(ids.items), nextCursor: ids.nextCursor };
  }
}
