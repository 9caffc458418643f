import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidationFailedException } from '../errors/validation-failed.exception';

/**
 * The one global ValidationPipe: strips nothing silently (unknown fields are 400s naming the
 * field), converts query strings to the DTO's types, and insists on an object body.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ValidationFailedException.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const expectsDto = typeof metadata.metatype === 'function' && !this.isPrimitiveType(metadata.metatype);
    if (metadata.type === 'body' && expectsDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedException([], 'The request body must be a JSON object sent as application/json.');
    }
    return super.transform(value, metadata);
  }

  private isPrimitiveType(metatype: unknown): boolean {
    return [String, Boolean, Number, Array, Object].includes(metatype as never);
  }
}
