import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentCaller } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { CacheTags } from '../cache/cache-tags';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { CommentsService } from './comments.service';
import { ListPostsQueryDto } from './dto/list-posts.query';
import { CreateCommentDto, PatchPostDto, PostInputDto } from './dto/post-input.dto';
import { CommentDto, CommentPageDto, LikeStateDto, PostDto, PostSummaryPageDto } from './dto/post.dto';
import { PostsService } from './posts.service';

const PostId = () => Param('id', ParseUUIDPipe);
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
  @CacheResponse({ query: ListPostsQueryDto, tags: () => [CacheTags.posts, CacheTags.authors] })
  @ApiOperation({ summary: 'List recipes', description: 'Filters combine. `ingredient` may repeat: posts containing all of them.' })
  @ApiOkResponse({ type: PostSummaryPageDto })
  list(@Query() query: ListPostsQueryDto) {
    return this.posts.list(query);
  }

  @Get(':id')
  @CacheResponse({ tags: ({ id }) => [CacheTags.post(id), CacheTags.authors] })
  @ApiOperation({ summary: 'A recipe' })
  @ApiOkResponse({ type: PostDto })
  @ApiProblems(NO_POST)
  get(@PostId() id: string) {
    return this.posts.get(id);
  }

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Publish a recipe', description: 'Unknown ingredient names are created.' })
  @ApiCreatedResponse({ type: PostDto })
  @ApiHeader({ name: 'Location', description: 'On 201: the new post’s URL.', required: false })
  @ApiProblems(415)
  async create(@CurrentCaller() caller: Caller, @Body() input: PostInputDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const post = await this.posts.create(caller, input);
    void reply.header('Location', `/api/v1/posts/${post.id}`);
    return post;
  }

  @Put(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Replace a recipe', description: 'Optional fields left out are cleared.' })
  @ApiOkResponse({ type: PostDto })
  @ApiProblems(OWNER_ONLY, NO_POST, 415)
  replace(@CurrentCaller() caller: Caller, @PostId() id: string, @Body() input: PostInputDto) {
    return this.posts.replace(caller, id, input);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Change some fields of a recipe' })
  @ApiOkResponse({ type: PostDto })
  @ApiProblems(OWNER_ONLY, NO_POST, 415)
  patch(@CurrentCaller() caller: Caller, @PostId() id: string, @Body() changes: PatchPostDto) {
    return this.posts.update(caller, id, changes);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a recipe', description: 'Its comments and likes go too.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(OWNER_ONLY, NO_POST)
  delete(@CurrentCaller() caller: Caller, @PostId() id: string) {
    return this.posts.delete(caller, id);
  }

  @Put(':id/like')
  @Authenticated()
  @ApiOperation({ summary: 'Like a recipe (idempotent)' })
  @ApiOkResponse({ type: LikeStateDto })
  @ApiProblems(NO_POST)
  like(@CurrentCaller() caller: Caller, @PostId() id: string) {
    return this.posts.like(caller, id, true);
  }

  @Delete(':id/like')
  @Authenticated()
  @ApiOperation({ summary: 'Take a like back (idempotent)' })
  @ApiOkResponse({ type: LikeStateDto })
  @ApiProblems(NO_POST)
  unlike(@CurrentCaller() caller: Caller, @PostId() id: string) {
    return this.posts.like(caller, id, false);
  }

  @Get(':id/comments')
  @CacheResponse({ query: PageQueryDto, tags: ({ id }) => [CacheTags.comments(id), CacheTags.authors] })
  @ApiOperation({ summary: 'A recipe’s comments, oldest first' })
  @ApiOkResponse({ type: CommentPageDto })
  @ApiProblems(NO_POST)
  listComments(@PostId() id: string, @Query() query: PageQueryDto) {
    return this.comments.list(id, query);
  }

  @Post(':id/comments')
  @Authenticated()
  @ApiOperation({ summary: 'Comment on a recipe' })
  @ApiCreatedResponse({ type: CommentDto })
  @ApiProblems(NO_POST, 415)
  async comment(@CurrentCaller() caller: Caller, @PostId() id: string, @Body() body: CreateCommentDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const comment = await this.comments.create(caller, id, body.body);
    void reply.header('Location', `/api/v1/posts/${id}/comments/${comment.id}`);
    return comment;
  }

  @Get(':id/comments/:commentId')
  @CacheResponse({ tags: ({ id }) => [CacheTags.comments(id), CacheTags.authors] })
  @ApiOperation({ summary: 'One comment (where a new comment’s Location points)' })
  @ApiOkResponse({ type: CommentDto })
  @ApiProblems([404, 'No such comment on this post.'])
  getComment(@PostId() id: string, @Param('commentId', ParseUUIDPipe) commentId: string) {
    return this.comments.get(id, commentId);
  }

  @Delete(':id/comments/:commentId')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a comment', description: 'By the comment’s author or the post’s author.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems([403, 'Neither the comment’s nor the post’s author.'], [404, 'No such comment on this post.'])
  deleteComment(@CurrentCaller() caller: Caller, @PostId() id: string, @Param('commentId', ParseUUIDPipe) commentId: string) {
    return this.comments.delete(caller, id, commentId);
  }
}
