import { applyDecorators, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** Documents a path parameter as a UUID (its value is checked by ParseUUIDPipe: 400 otherwise). */
export function ApiUuidParam(name: string, description: string): MethodDecorator {
  return applyDecorators(ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } }));
}

/** The value of a UUID path parameter; anything else is a 400. */
export const UuidParam = (name: string): ParameterDecorator => Param(name, ParseUUIDPipe);
