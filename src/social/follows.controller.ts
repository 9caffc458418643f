import { Controller, Delete, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentCaller, OptionalAuthentication } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { PublicUserPageDto } from '../users/dto/list-users.query';
import { UserTags } from '../users/users.cache-tags';
import { FollowStateDto } from './dto/social.dto';
import { FollowsService } from './follows.service';

const UserIdParam = () => ApiUuidParam('id', 'The user’s id.');
const NO_USER: [number, string] = [404, 'No such user, or not active.'];

@ApiTags('social')
@ApiProblems(400, 503)
@Controller('users')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Put(':id/follow')
  @Authenticated()
  @ApiOperation({ operationId: 'followUser', summary: 'Follow a user', description: 'Idempotent: following twice is one follow. Their recipes appear in the caller’s feed.' })
  @ApiOkResponse({ type: FollowStateDto, description: 'Following, and the user’s follower count after.' })
  @UserIdParam()
  @ApiProblems([400, 'Validation failed, or the user is the caller (you cannot follow yourself).'], NO_USER)
  follow(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.follows.set(caller, id, true);
  }

  @Delete(':id/follow')
  @Authenticated()
  @ApiOperation({ operationId: 'unfollowUser', summary: 'Stop following a user', description: 'Idempotent: not following, no change.' })
  @ApiOkResponse({ type: FollowStateDto, description: 'Not following, and the user’s follower count after.' })
  @UserIdParam()
  @ApiProblems(NO_USER)
  unfollow(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.follows.set(caller, id, false);
  }

  @Get(':id/followers')
  @OptionalAuthentication()
  @CacheResponse(PublicUserPageDto, { query: PageQueryDto, tags: ({ id }) => [UserTags.lists, UserTags.user(id)] })
  @ApiOperation({ operationId: 'listFollowers', summary: 'Who follows a user', description: 'Newest follow first, by keyset.' })
  @UserIdParam()
  @ApiProblems(NO_USER)
  followers(@UuidParam('id') id: string, @Query() query: PageQueryDto) {
    return this.follows.followers(id, query);
  }

  @Get(':id/following')
  @OptionalAuthentication()
  @CacheResponse(PublicUserPageDto, { query: PageQueryDto, tags: ({ id }) => [UserTags.lists, UserTags.user(id)] })
  @ApiOperation({ operationId: 'listFollowing', summary: 'Whom a user follows', description: 'Newest follow first, by keyset.' })
  @UserIdParam()
  @ApiProblems(NO_USER)
  following(@UuidParam('id') id: string, @Query() query: PageQueryDto) {
    return this.follows.following(id, query);
  }
}
