import { applyDecorators, Injectable, UseGuards } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';

/** @nestjs/throttler's guard with the standard header names (RateLimit-Limit, -Remaining, -Reset), not X-RateLimit-*. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';
}

/** The OpenAPI extension that marks rate-limited operations: the document then lists the RateLimit headers on their answers. */
export const RATE_LIMITED_EXTENSION = 'x-rate-limited';

/** Rate-limits the handlers (per client IP) and says so in the OpenAPI document. */
export function RateLimited(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(RateLimitGuard), ApiExtension(RATE_LIMITED_EXTENSION, true));
}
