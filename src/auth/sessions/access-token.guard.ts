import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Caller, SessionsService } from './sessions.service';

export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

/** Requires `Authorization: Bearer <accessToken>` whose session is live; puts the caller on the request. */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedException('Send an access token as `Authorization: Bearer <token>`.');
    request.caller = await this.sessions.authenticate(token);
    return true;
  }
}

/**
 * Anonymous requests pass as they are; a request that sends a token must send a valid one (401
 * otherwise: a client with an expired token learns to refresh rather than silently losing its flags).
 */
@Injectable()
export class OptionalAccessTokenGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.headers.authorization === undefined) return true;
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedException('Send an access token as `Authorization: Bearer <token>`, or no Authorization header.');
    request.caller = await this.sessions.authenticate(token);
    return true;
  }
}

/** The token of `Authorization: Bearer <token>`, or undefined for any other header. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
