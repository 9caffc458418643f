import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../common/http/api-problems.decorator';
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
@ApiProblems(400, 429, 503)
@UseGuards(ThrottlerGuard)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @ApiOperation({ summary: 'Create an account', description: 'The account stays inactive until the e-mailed link `${APP_URL}/api/v1/auth/confirm?token=…` is opened.' })
  @ApiCreatedResponse({ type: UserDto, description: 'Created, inactive.' })
  @ApiHeader({ name: 'Location', description: 'On 201: the new user’s profile URL.', required: false })
  @ApiProblems([409, 'An account with this e-mail (in any letter case) exists.'], 415)
  async register(@Body() input: RegisterDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const user = await this.auth.register(input);
    void reply.header('Location', `/api/v1/users/${user.id}`);
    return user;
  }

  @Get('confirm')
  @ApiOperation({
    summary: 'Confirm an e-mail address (the link in the confirmation e-mail)',
    description: 'With `Accept: text/html` (a browser following the link) the answer is a small page instead of JSON, 400 included.',
  })
  @ApiOkResponse({ type: UserDto, description: 'The account, now active.' })
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
  @ApiOperation({ summary: 'Send the confirmation e-mail again', description: 'Same answer whether or not the account exists.' })
  @ApiAcceptedResponse({ type: MessageDto })
  @ApiProblems(415)
  resend(@Body() body: EmailOnlyDto) {
    return this.auth.resendConfirmation(body.email);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in: open a session' })
  @ApiOkResponse({ type: TokenDto })
  @ApiProblems([401, 'Wrong e-mail or password (one message for both).'], [403, 'The e-mail address is not confirmed yet.'], 415)
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Trade a refresh token for new tokens',
    description: 'Rotation: the presented refresh token stops working. Presenting an already used one revokes the whole session.',
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiProblems([401, 'Unknown, expired, used or revoked refresh token.'], 415)
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of this refresh token', description: 'Its access tokens stop working too. Idempotent for a session already ended.' })
  @ApiNoContentResponse({ description: 'The session has ended.' })
  @ApiProblems([401, 'Unknown refresh token.'], 415)
  logout(@Body() body: RefreshDto) {
    return this.auth.logout(body.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'E-mail a password-reset link', description: 'The link is `${APP_URL}/reset-password?token=…`, valid 1 hour, once. Same answer whether or not the account exists.' })
  @ApiAcceptedResponse({ type: MessageDto })
  @ApiProblems(415)
  forgot(@Body() body: EmailOnlyDto) {
    return this.auth.forgotPassword(body.email);
  }

  @Post('password/reset')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a new password with the e-mailed token', description: 'Ends every session of the account.' })
  @ApiOkResponse({ type: MessageDto })
  @ApiProblems(415)
  reset(@Body() body: ResetPasswordDto) {
    return this.auth.resetPassword(body);
  }

  @Post('password/change')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({ summary: 'Change the password', description: 'Ends the caller’s other sessions; this one stays.' })
  @ApiOkResponse({ type: MessageDto })
  @ApiProblems([403, 'The current password is wrong.'], 415)
  change(@CurrentCaller() caller: Caller, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(caller, body);
  }
}
