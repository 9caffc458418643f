import { Controller, Delete, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentCaller } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page.dto';
import { PostSummaryPageDto } from '../posts/dto/post.dto';
import { PostTags } from '../posts/posts.cache-tags';
import { SaveStateDto } from './dto/social.dto';
import { SavesService } from './saves.service';
import { SocialTags } from './social.cache-tags';

const PostIdParam = () => ApiUuidParam('id', 'The post’s id.');
const NO_POST: [number, string] = [404, 'No such post.'];

@ApiTags('social')
@ApiProblems(400, 503)
@Controller()
export class SavesController {
  constructor(private readonly saves: SavesService) {}

  @Put('posts/:id/save')
  @Authenticated()
  @ApiOperation({ operationId: 'savePost', summary: 'Save a recipe', description: 'Idempotent: saving twice keeps the first save’s place in the list.' })
  @ApiOkResponse({ type: SaveStateDto, description: 'Saved.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  save(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.saves.set(caller, id, true);
  }

  @Delete('posts/:id/save')
  @Authenticated()
  @ApiOperation({ operationId: 'unsavePost', summary: 'Take a recipe out of the saved list', description: 'Idempotent: not saved, no change.' })
  @ApiOkResponse({ type: SaveStateDto, description: 'Not saved.' })
  @PostIdParam()
  @ApiProblems(NO_POST)
  unsave(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.saves.set(caller, id, false);
  }

  @Get('users/me/saved')
  @Authenticated()
  @CacheResponse(PostSummaryPageDto, {
    query: PageQueryDto,
    scope: 'caller',
    tags: (_params, callerId) => [PostTags.lists, PostTags.authors, SocialTags.saved(callerId!)],
  })
  @ApiOperation({ operationId: 'listSavedPosts', summary: 'The caller’s saved recipes', description: 'Most recently saved first, by keyset. Private to the caller.' })
  list(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto) {
    return this.saves.list(caller, query);
  }
}
