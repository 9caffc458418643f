import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldErrorDto } from './problem-details';

/** A 400 that carries per-field errors to the problem-details filter. */
export class ValidationFailedException extends BadRequestException {
  constructor(
    readonly errors: FieldErrorDto[],
    detail = 'The request is invalid: see errors for each field.',
  ) {
    super(detail);
  }

  static fromValidationErrors(validationErrors: ValidationError[]): ValidationFailedException {
    return new ValidationFailedException(flatten(validationErrors));
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      // forbidNonWhitelisted says "property X should not exist"; say it the way clients read it.
      message: rule === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
