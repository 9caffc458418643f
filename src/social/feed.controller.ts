import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentCaller } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { PostSummaryPageDto } from '../posts/dto/post.dto';
import { PostTags } from '../posts/posts.cache-tags';
import { PostsService } from '../posts/posts.service';
import { SocialTags } from './social.cache-tags';

@ApiTags('social')
@ApiProblems(400, 503)
@Controller('feed')
export class FeedController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @Authenticated()
  @CacheResponse(PostSummaryPageDto, {
    query: PageQueryDto,
    scope: 'caller',
    tags: (_params, callerId) => [PostTags.lists, PostTags.authors, SocialTags.feed(callerId!)],
  })
  @ApiOperation({
    operationId: 'getFeed',
    summary: 'The caller’s feed',
    description: 'Recipes by the people the caller follows, newest first, by keyset. Private to the caller.',
  })
  feed(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto) {
    return this.posts.feed(caller.userId, query);
  }
}
