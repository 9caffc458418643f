import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiCreated } from '../common/http/api-created.decorator';
import { ApiProblems, BODY_PROBLEMS } from '../common/http/api-problems.decorator';
import { UserDto } from '../users/dto/user.dto';
import { AuthService } from './auth.service';
import { confirmationPage, wantsHtml } from './confirmation-page';
import {
  ChangePasswordDto,
  ConfirmQueryDto,
  EmailOnlyDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
} from './dto/auth-input.dto';
import { MessageDto, TokenDto } from './dto/token.dto';
import { Authenticated, CurrentCaller } from './sessions/authenticated.decorator';
import type { Caller } from './sessions/sessions.service';

@ApiTags('auth')
@ApiProblems(400, 503)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @ApiOperation({
    operationId: 'register',
    summary: 'Create an account',
    description: 'The account stays inactive until the e-mailed link (CONFIRM_URL, by default `${APP_URL}/api/v1/auth/confirm?token=…`) is opened.',
  })
  @ApiCreated(UserDto, 'The new user’s profile URL (404 until confirmed).')
  @ApiProblems([409, 'An account with this e-mail (in any letter case) exists.'], ...BODY_PROBLEMS)
  async register(@Body() input: RegisterDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const user = await this.auth.register(input);
    void reply.header('Location', `/api/v1/users/${user.id}`);
    return user;
  }

  @Get('confirm')
  @ApiOperation({
    operationId: 'confirmEmail',
    summary: 'Confirm an e-mail address (the link in the confirmation e-mail)',
    description: 'With `Accept: text/html` (a browser following the link) the answer is a small page instead of JSON, 400 included.',
  })
  @ApiOkResponse({
    description: 'The account, now active.',
    content: { 'application/json': { schema: { $ref: getSchemaPath(UserDto) } }, 'text/html': { schema: { type: 'string' } } },
  })
  async confirm(@Query() query: ConfirmQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!wantsHtml(accept)) return this.auth.confirm(query.token);
    const confirmed = await this.auth.confirm(query.token).then(
      () => true,
      (error: unknown) => (error instanceof BadRequestException ? false : Promise.reject(error)),
    );
    void reply.status(confirmed ? HttpStatus.OK : HttpStatus.BAD_REQUEST).type('text/html; charset=utf-8');
    return confirmationPage(confirmed);
  }

  @Post('confirm/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'resendConfirmation',
    summary: 'Send the confirmation e-mail again',
    description: 'Same answer, in the same time, whether or not the account exists: the e-mail follows in the background.',
  })
  @ApiAcceptedResponse({ type: MessageDto, description: 'Recorded.' })
  @ApiProblems(...BODY_PROBLEMS)
  resend(@Body() body: EmailOnlyDto) {
    return this.auth.resendConfirmation(body.email);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'login', summary: 'Log in: open a session', description: 'Returns an access token (Bearer, `expiresIn` seconds) and a single-use refresh token.' })
  @ApiOkResponse({ type: TokenDto, description: 'The new session’s tokens.' })
  @ApiProblems([401, 'Wrong e-mail or password (one message for both).'], [403, 'The e-mail address is not confirmed yet.'], ...BODY_PROBLEMS)
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Trade a refresh token for new tokens',
    description: 'Rotation: the presented refresh token stops working. Presenting an already used one revokes the whole session.',
  })
  @ApiOkResponse({ type: TokenDto, description: 'New tokens for the same session.' })
  @ApiProblems([401, 'Unknown, expired, used or revoked refresh token.'], ...BODY_PROBLEMS)
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'logout', summary: 'End the session of this refresh token', description: 'Its access tokens stop working too. Idempotent for a session already ended.' })
  @ApiNoContentResponse({ description: 'The session has ended.' })
  @ApiProblems([401, 'Unknown refresh token.'], ...BODY_PROBLEMS)
  logout(@Body() body: RefreshDto) {
    return this.auth.logout(body.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'forgotPassword',
    summary: 'E-mail a password-reset link',
    description: 'The link (RESET_URL, by default `${APP_URL}/reset-password?token=…`) works once, for 1 hour. Same answer, in the same time, whether or not the account exists.',
  })
  @ApiAcceptedResponse({ type: MessageDto, description: 'Recorded.' })
  @ApiProblems(...BODY_PROBLEMS)
  forgot(@Body() body: EmailOnlyDto) {
    return this.auth.forgotPassword(body.email);
  }

  @Post('password/reset')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'resetPassword', summary: 'Set a new password with the e-mailed token', description: 'Ends every session of the account.' })
  @ApiOkResponse({ type: MessageDto, description: 'The password is set.' })
  @ApiProblems(...BODY_PROBLEMS)
  reset(@Body() body: ResetPasswordDto) {
    return this.auth.resetPassword(body);
  }

  @Post('password/change')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({ operationId: 'changePassword', summary: 'Change the password', description: 'Ends the caller’s other sessions; this one stays.' })
  @ApiOkResponse({ type: MessageDto, description: 'The password is changed.' })
  @ApiProblems([403, 'The current password is wrong.'], ...BODY_PROBLEMS)
  change(@CurrentCaller() caller: Caller, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(caller, body);
  }
}
