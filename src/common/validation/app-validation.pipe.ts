import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import type { FieldErrorDto } from '../errors/problem-details';
import { ValidationFailedException } from '../errors/validation-failed.exception';

/** What class-validator enforces on every DTO, here and in the response cache's query check alike. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

const isPrototypeMember = (key: string): boolean => key === '__proto__' || Object.prototype.hasOwnProperty.call(Object.prototype, key);

/**
 * Keys named like Object.prototype members (`constructor`, `toString`, `__proto__`, …), with their
 * paths: class-transformer drops them before the whitelist looks, so they are caught on the raw input.
 * No DTO has such a field, so each one is an unknown field.
 */
export function prototypeKeyErrors(value: unknown, parent = ''): FieldErrorDto[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const field = parent ? `${parent}.${key}` : key;
    if (isPrototypeMember(key)) return [{ field, message: `${field} is not an accepted field` }];
    return prototypeKeyErrors((value as Record<string, unknown>)[key], field);
  });
}

/**
 * The one global ValidationPipe: strips nothing silently (unknown fields are 400s naming the
 * field), converts query strings to the DTO's types, and insists on an object body.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      ...VALIDATOR_OPTIONS,
      transform: true,
      exceptionFactory: (errors) => ValidationFailedException.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const expectsDto = typeof metadata.metatype === 'function' && !this.isPrimitiveType(metadata.metatype);
    if (metadata.type === 'body' && expectsDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedException([], 'The request body must be a JSON object sent as application/json.');
    }
    if (expectsDto && (metadata.type === 'body' || metadata.type === 'query')) {
      const errors = prototypeKeyErrors(value);
      if (errors.length > 0) throw new ValidationFailedException(errors);
    }
    return super.transform(value, metadata);
  }

  private isPrimitiveType(metatype: unknown): boolean {
    return [String, Boolean, Number, Array, Object].includes(metatype as never);
  }
}
