import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { Caller } from '../auth/sessions/sessions.service';
import { DomainEvents } from '../common/events/domain-events';
import { Vanished } from '../common/errors/vanished';
import { decodeCursor } from '../common/pagination/cursor';
import { answerMissingReference } from '../database/pg-errors';
import { type Page, pageOf, type PageQueryDto } from '../common/pagination/page.dto';
import { CommentsRepository } from './comments.repository';
import type { CommentDto } from './dto/post.dto';
import { toCommentDto } from './post.mapper';
import { CommentsChanged } from './posts.events';

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly events: DomainEvents,
  ) {}

  async list(postId: string, query: PageQueryDto): Promise<Page<CommentDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, 'timestamp') : undefined;
    if (!(await this.comments.postExists(postId))) throw new NotFoundException('No such post.');
    const rows = await this.comments.findPage(postId, query.limit + 1, after);
    return pageOf(rows, query.limit, toCommentDto, (row) => ({ key: row.createdAt, id: row.id }));
  }

  async get(postId: string, commentId: string): Promise<CommentDto> {
    const row = await this.comments.findOne(postId, commentId);
    if (!row) throw new NotFoundException('No such comment on this post.');
    return toCommentDto(row);
  }

  async create(caller: Caller, postId: string, body: string): Promise<CommentDto> {
    const row = await answerMissingReference(this.comments.insert(postId, caller.userId, body), { users: Vanished.account });
    if (!row) throw new NotFoundException('No such post.');
    await this.events.publish(new CommentsChanged(postId));
    return toCommentDto(row);
  }

  /** The comment's author or the post's author may delete it. */
  async delete(caller: Caller, postId: string, commentId: string): Promise<void> {
    const owners = await this.comments.findOwners(postId, commentId);
    if (!owners) throw new NotFoundException('No such comment on this post.');
    if (caller.userId !== owners.commentAuthorId && caller.userId !== owners.postAuthorId) {
      throw new ForbiddenException('Only the comment’s author or the post’s author may delete it.');
    }
    await this.comments.delete(commentId);
    await this.events.publish(new CommentsChanged(postId));
  }
}
