import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OptionalAuthentication } from '../auth/sessions/authenticated.decorator';
import { CacheResponse } from '../cache/cache-response.decorator';
import { UserTags } from '../users/users.cache-tags';
import { PostTags } from './posts.cache-tags';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { UsersService } from '../users/users.service';
import { PostSummaryPageDto } from './dto/post.dto';
import { PostsService } from './posts.service';

/** GET /users/:id/posts: lives with posts, which it lists, and asks users whether the author exists. */
@ApiTags('users')
@ApiProblems(400, 503)
@Controller('users')
export class UserPostsController {
  constructor(
    private readonly users: UsersService,
    private readonly posts: PostsService,
  ) {}

  @Get(':id/posts')
  @OptionalAuthentication()
  @CacheResponse(PostSummaryPageDto, { query: PageQueryDto, tags: ({ id }) => [PostTags.lists, PostTags.authors, UserTags.user(id)] })
  @ApiOperation({ operationId: 'listUserPosts', summary: 'A user’s recipes, newest first', description: 'Keyset pages of the user’s posts, without bodies.' })
  @ApiUuidParam('id', 'The user’s id.')
  @ApiProblems([404, 'No such user, or not active.'])
  async list(@UuidParam('id') id: string, @Query() query: PageQueryDto) {
    await this.users.getPublic(id);
    return this.posts.list({ ...query, sort: 'new' }, id);
  }
}
