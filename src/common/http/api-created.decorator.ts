import { type Type } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';

/** A 201 with its body and the Location of what was created, documented together. */
export function ApiCreated(type: Type<unknown>, location: string): MethodDecorator {
  return ApiCreatedResponse({
    type,
    description: 'Created.',
    headers: { Location: { description: location, schema: { type: 'string', format: 'uri-reference' } } },
  });
}
