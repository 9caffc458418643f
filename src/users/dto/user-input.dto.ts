import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { Omittable } from '../../common/validation/optional.decorator';
import { trim } from '../../common/validation/trim';

export const PASSWORD_RULES = { minLength: 8, maxLength: 128 };

/** Field decorators shared by every DTO that takes these fields, so the limits live in one place. */
export const EmailField = (): PropertyDecorator => (target, key) => {
  ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })(target, key);
  Transform(trim)(target, key);
  IsEmail({}, { message: 'email must be an e-mail address' })(target, key);
  MaxLength(254)(target, key);
};

export const PasswordField = (description = 'Between 8 and 128 characters.'): PropertyDecorator => (target, key) => {
  ApiProperty({ ...PASSWORD_RULES, format: 'password', example: 'correct horse battery', description })(target, key);
  IsString()(target, key);
  Length(PASSWORD_RULES.minLength, PASSWORD_RULES.maxLength)(target, key);
};

export const NameField = (example: string, optional = false): PropertyDecorator => (target, key) => {
  (optional ? ApiPropertyOptional : ApiProperty)({ minLength: 1, maxLength: 100, example })(target, key);
  if (optional) Omittable()(target, key);
  Transform(trim)(target, key);
  IsString()(target, key);
  IsNotEmpty()(target, key);
  MaxLength(100)(target, key);
};

export class UpdateProfileDto {
  @NameField('Ada', true)
  firstName?: string;

  @NameField('Lovelace', true)
  lastName?: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Bakes bread on Sundays.' })
  @Omittable()
  @IsString()
  @MaxLength(1000)
  bio?: string;
}

export class DeleteAccountDto {
  @PasswordField('The current password, to confirm the deletion.')
  password: string;
}
