import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentCaller } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { CacheTags } from '../cache/cache-tags';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ListUsersQueryDto, PublicUserPageDto } from './dto/list-users.query';
import { DeleteAccountDto, UpdateProfileDto } from './dto/user-input.dto';
import { PublicUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiProblems(400, 503)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @CacheResponse({ query: ListUsersQueryDto, tags: () => [CacheTags.users] })
  @ApiOperation({ summary: 'List active users, newest first' })
  @ApiOkResponse({ type: PublicUserPageDto })
  list(@Query() query: ListUsersQueryDto) {
    return this.users.list(query);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The caller’s own account' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentCaller() caller: Caller) {
    return this.users.getMe(caller);
  }

  @Patch('me')
  @Authenticated()
  @ApiOperation({ summary: 'Update the caller’s profile' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(415)
  updateMe(@CurrentCaller() caller: Caller, @Body() changes: UpdateProfileDto) {
    return this.users.updateMe(caller, changes);
  }

  @Delete('me')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the caller’s account', description: 'Removes the account with its posts, comments and likes, and ends every session.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems([403, 'The password is wrong.'], 415)
  deleteMe(@CurrentCaller() caller: Caller, @Body() body: DeleteAccountDto) {
    return this.users.deleteMe(caller, body.password);
  }

  @Get(':id')
  @CacheResponse({ tags: ({ id }) => [CacheTags.user(id)] })
  @ApiOperation({ summary: 'A user’s public profile' })
  @ApiOkResponse({ type: PublicUserDto })
  @ApiProblems([404, 'No such user, or not active.'])
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.users.getPublic(id);
  }
}
