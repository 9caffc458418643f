import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentCaller, OptionalAuthentication } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { UserTags } from './users.cache-tags';
import { ApiProblems, BODY_PROBLEMS } from '../common/http/api-problems.decorator';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
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
  @OptionalAuthentication()
  @CacheResponse(PublicUserPageDto, { query: ListUsersQueryDto, tags: () => [UserTags.lists] })
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List active users, newest first',
    description: 'Keyset pages (`cursor`); simple clients may pass `offset` instead. Unconfirmed and deleted accounts are not listed.',
  })
  list(@Query() query: ListUsersQueryDto) {
    return this.users.list(query);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ operationId: 'getMe', summary: 'The caller’s own account', description: 'Includes the e-mail address; never cached.' })
  @ApiOkResponse({ type: UserDto, description: 'The caller’s account.' })
  me(@CurrentCaller() caller: Caller) {
    return this.users.getMe(caller);
  }

  @Patch('me')
  @Authenticated()
  @ApiOperation({ operationId: 'updateMe', summary: 'Update the caller’s profile', description: 'Fields left out stay as they are; names may not be null.' })
  @ApiOkResponse({ type: UserDto, description: 'The account after the change.' })
  @ApiProblems(...BODY_PROBLEMS)
  updateMe(@CurrentCaller() caller: Caller, @Body() changes: UpdateProfileDto) {
    return this.users.updateMe(caller, changes);
  }

  @Delete('me')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteMe',
    summary: 'Delete the caller’s account',
    description: 'Removes the account with its posts, comments and likes, and ends every session. Needs the current password.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems([403, 'The password is wrong.'], ...BODY_PROBLEMS)
  deleteMe(@CurrentCaller() caller: Caller, @Body() body: DeleteAccountDto) {
    return this.users.deleteMe(caller, body.password);
  }

  @Get(':id')
  @OptionalAuthentication()
  @CacheResponse(PublicUserDto, { tags: ({ id }) => [UserTags.user(id), UserTags.profiles] })
  @ApiOperation({ operationId: 'getUser', summary: 'A user’s public profile', description: 'Never the e-mail address. Unconfirmed or deleted accounts are 404.' })
  @ApiUuidParam('id', 'The user’s id.')
  @ApiProblems([404, 'No such user, or not active.'])
  get(@UuidParam('id') id: string) {
    return this.users.getPublic(id);
  }
}
