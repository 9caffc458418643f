import { applyDecorators, createParamDecorator, type ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { BEARER_AUTH } from '../../docs/openapi';
import { AccessTokenGuard, type AuthenticatedRequest, OptionalAccessTokenGuard } from './access-token.guard';
import type { Caller } from './sessions.service';

/** Auth and its OpenAPI description in one decorator, so they cannot drift apart. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(AccessTokenGuard),
    ApiBearerAuth(BEARER_AUTH),
    ApiProblems(401),
  );
}

/**
 * Public, and personalised for a signed-in caller: with a valid access token the answer includes
 * the caller's viewer flags (`liked`, `saved`, `following`) and is private to them.
 */
export function OptionalAuthentication(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OptionalAccessTokenGuard),
    ApiSecurity({}),
    ApiBearerAuth(BEARER_AUTH),
    ApiProblems([401, 'An access token was sent but is invalid or expired, or its session has ended (send none to read anonymously).']),
  );
}

/** The authenticated caller ({ userId, sessionId }); use on @Authenticated() handlers. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a handler without @Authenticated()');
  return caller;
});
