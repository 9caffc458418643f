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
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedException('Send an access token as `Authorization: Bearer <token>`.');
    }
    request.caller = await this.sessions.authenticate(token);
    return true;
  }
}
