import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentCaller, OptionalAuthentication } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { PostTags } from './posts.cache-tags';
import { ApiCreated } from '../common/http/api-created.decorator';
import { ApiProblems, BODY_PROBLEMS } from '../common/http/api-problems.decorator';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { CommentsService } from './comments.service';
import { ListPostsQueryDto } from './dto/list-posts.query';
import { CreateCommentDto, PatchPostDto, PostInputDto } from './dto/post-input.dto';
import { CommentDto, CommentPageDto, LikeStateDto, PostDto, PostSummaryPageDto } from './dto/post.dto';
import { PostsService } from './posts.service';

const PostIdParam = () => ApiUuidParam('id', 'The post’s id.');
const CommentIdParam = () => ApiUuidParam('commentId', 'The comment’s id.');
const OWNER_ONLY: [number, string] = [403, 'Only the post’s author may do this.'];
const NO_POST: [number, string] = [404, 'No such post.'];

@ApiTags('posts')
@ApiProblems(400, 503)
@Controller('posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
  ) {}

  @Get()
  @OptionalAuthentication()
  @CacheResponse(PostSummaryPageDto, { query: ListPostsQueryDto, tags: () => [PostTags.lists, PostTags.authors] })
  @ApiOperation({
    operationId: 'listPosts',
    summary: 'List recipes',
    description: 'Newest or most liked first, by keyset. Filters combine; `ingredient` may repeat: posts containing all of them.',
  })
  list(@Query() query: ListPostsQueryDto) {
    return this.posts.list(query);
  }

  @Get(':id')
  @OptionalAuthentication()
  @CacheResponse(PostDto, { tags: ({ id }) => [PostTags.post(id), PostTags.authors] })
  @ApiOperation({ operationId: 'getPost', summary: 'A recipe', description: 'The whole recipe: body, ingredients in display order, counts.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  get(@UuidParam('id') id: string) {
    return this.posts.get(id);
  }

  @Post()
  @Authenticated()
  @ApiOperation({ operationId: 'createPost', summary: 'Publish a recipe', description: 'Unknown ingredient names are created.' })
  @ApiCreated(PostDto, 'The new post’s URL.')
  @ApiProblems(...BODY_PROBLEMS)
  async create(@CurrentCaller() caller: Caller, @Body() input: PostInputDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const post = await this.posts.create(caller, input);
    void reply.header('Location', `/api/v1/posts/${post.id}`);
    return post;
  }

  @Put(':id')
  @Authenticated()
  @ApiOperation({ operationId: 'replacePost', summary: 'Replace a recipe', description: 'Optional fields left out are cleared. Author only.' })
  @ApiOkResponse({ type: PostDto, description: 'The recipe as stored now.' })
  @PostIdParam()
  @ApiProblems(OWNER_ONLY, NO_POST, ...BODY_PROBLEMS)
  replace(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Body() input: PostInputDto) {
    return this.posts.replace(caller, id, input);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ operationId: 'updatePost', summary: 'Change some fields of a recipe', description: 'Fields left out stay; `ingredients`, when sent, replaces the list. Author only.' })
  @ApiOkResponse({ type: PostDto, description: 'The recipe as stored now.' })
  @PostIdParam()
  @ApiProblems(OWNER_ONLY, NO_POST, ...BODY_PROBLEMS)
  patch(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Body() changes: PatchPostDto) {
    return this.posts.update(caller, id, changes);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deletePost', summary: 'Delete a recipe', description: 'Its comments and likes go too. Author only.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @PostIdParam()
  @ApiProblems(OWNER_ONLY, NO_POST)
  delete(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.posts.delete(caller, id);
  }

  @Put(':id/like')
  @Authenticated()
  @ApiOperation({ operationId: 'likePost', summary: 'Like a recipe', description: 'Idempotent: liking twice is one like.' })
  @ApiOkResponse({ type: LikeStateDto, description: 'The like count after.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  like(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.posts.like(caller, id, true);
  }

  @Delete(':id/like')
  @Authenticated()
  @ApiOperation({ operationId: 'unlikePost', summary: 'Take a like back', description: 'Idempotent: no like, no change.' })
  @ApiOkResponse({ type: LikeStateDto, description: 'The like count after.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  unlike(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.posts.like(caller, id, false);
  }

  @Get(':id/comments')
  @CacheResponse(CommentPageDto, { query: PageQueryDto, tags: ({ id }) => [PostTags.comments(id), PostTags.authors] })
  @ApiOperation({ operationId: 'listComments', summary: 'A recipe’s comments, oldest first', description: 'Keyset pages.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  listComments(@UuidParam('id') id: string, @Query() query: PageQueryDto) {
    return this.comments.list(id, query);
  }

  @Post(':id/comments')
  @Authenticated()
  @ApiOperation({ operationId: 'createComment', summary: 'Comment on a recipe', description: 'Up to 5 000 characters.' })
  @ApiCreated(CommentDto, 'The new comment’s URL.')
  @PostIdParam()
  @ApiProblems(NO_POST, ...BODY_PROBLEMS)
  async comment(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Body() body: CreateCommentDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const comment = await this.comments.create(caller, id, body.body);
    void reply.header('Location', `/api/v1/posts/${id}/comments/${comment.id}`);
    return comment;
  }

  @Get(':id/comments/:commentId')
  @CacheResponse(CommentDto, { tags: ({ id }) => [PostTags.comments(id), PostTags.authors] })
  @ApiOperation({ operationId: 'getComment', summary: 'One comment', description: 'Where a new comment’s Location points.' })
  @PostIdParam()
  @CommentIdParam()
  @ApiProblems([404, 'No such comment on this post.'])
  getComment(@UuidParam('id') id: string, @UuidParam('commentId') commentId: string) {
    return this.comments.get(id, commentId);
  }

  @Delete(':id/comments/:commentId')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteComment', summary: 'Delete a comment', description: 'By the comment’s author or the post’s author.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @PostIdParam()
  @CommentIdParam()
  @ApiProblems([403, 'Neither the comment’s nor the post’s author.'], [404, 'No such comment on this post.'])
  deleteComment(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @UuidParam('commentId') commentId: string) {
    return this.comments.delete(caller, id, commentId);
  }
}
