import { NotFoundException, UnauthorizedException } from '@nestjs/common';

/** The answers for a write whose subject was deleted while it ran (see answerMissingReference). */
export const Vanished = {
  /** The caller's own account went (deleted in another request): its token no longer stands for anyone. */
  account: () => new UnauthorizedException('This account no longer exists.'),
  post: () => new NotFoundException('No such post.'),
} as const;
