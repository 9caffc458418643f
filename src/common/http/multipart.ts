import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type {} from '@fastify/multipart'; // request.isMultipart()
import type { FastifyRequest } from 'fastify';

const ACCEPTS_UPLOADS = 'chop-chop:accepts-uploads';

/** This handler takes multipart/form-data (it reads the parts itself); every other handler refuses it. */
export const AcceptsUploads = (): MethodDecorator => SetMetadata(ACCEPTS_UPLOADS, true);

/**
 * @fastify/multipart accepts multipart bodies on every route, leaving them unread; JSON endpoints
 * must still answer them 415, as they did before uploads existed.
 */
@Injectable()
export class MultipartGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (typeof request.isMultipart !== 'function' || !request.isMultipart()) return true;
    if (this.reflector.get<boolean>(ACCEPTS_UPLOADS, context.getHandler())) return true;
    throw new UnsupportedMediaTypeException('Send the body as application/json.');
  }
}
